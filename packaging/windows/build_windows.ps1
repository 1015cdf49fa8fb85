# Build the Windows bundle and installer (run in PowerShell from anywhere, on Windows 10/11 x64).
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Needs: the project venv (.venv) with pyinstaller, Inno Setup 6 (ISCC.exe), and ChineseSimplified.isl in
# this folder (an unofficial Inno translation: https://jrsoftware.org/files/istrans/).
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root
$version = (Select-String -Path pyproject.toml -Pattern '^version\s*=\s*"([^"]+)"').Matches[0].Groups[1].Value
Write-Host "== minsheng $version"
if (-not (Test-Path "packaging\windows\ChineseSimplified.isl")) {
  throw "packaging\windows\ChineseSimplified.isl is missing (download the Chinese (Simplified) translation for Inno Setup 6)."
}
# The one place the installer learns the version from.
Set-Content -Encoding UTF8 "packaging\windows\version.iss" "#define MyAppVersion `"$version`""
.venv\Scripts\python.exe -m PyInstaller --noconfirm --clean packaging\minsheng.spec
$got = & dist\minsheng\minsheng.exe --version
if ($got -ne "minsheng $version") { throw "frozen --version said '$got'" }
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
& $iscc "/DMyAppVersion=$version" packaging\windows\minsheng.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "== dist\minsheng-$version-windows-x64-setup.exe"
