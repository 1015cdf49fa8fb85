; Inno Setup 6 script for the Windows installer of 民生实事台账.
; (Saved as UTF-8 with a byte-order mark: Inno Setup reads the Chinese strings correctly only with the BOM.)
;
; Build on Windows after the bundle (from the repository root):
;   .venv\Scripts\pyinstaller --noconfirm --clean packaging\minsheng.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DMyAppVersion=0.1.0 packaging\windows\minsheng.iss
; or let packaging\windows\build_windows.ps1 pass the version from pyproject.toml. Without /DMyAppVersion the
; script reads version.iss (written by the build) — the version lives in pyproject.toml only.
;
; * Per-user install, no administrator rights (PrivilegesRequired=lowest): {autopf} is then
;   %LOCALAPPDATA%\Programs, shortcuts go to the user's Start menu and desktop.
; * No file associations: .docx/.xlsx "open with" stays with Word/WPS/Excel ([Registry] is deliberately absent).
; * Uninstalling removes only the program folder. The clerk's database and backups in %LOCALAPPDATA%\minsheng
;   (platformdirs' user_data_dir) are never listed in [UninstallDelete] and so are kept.

#ifndef MyAppVersion
  #include "version.iss"
#endif
#define MyAppName "民生实事台账"
#define MyAppExeName "minsheng-gui.exe"
#define MyAppId "{{6C1F2B7E-5E8A-4B0C-9F3D-2A7C9E4B1D58}"
#define BundleDir "..\..\dist\minsheng"
#define MyAppURL "https://github.com/minsheng-desktop/minsheng-desktop"

[Setup]
AppId={#MyAppId}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=The minsheng-desktop authors
AppPublisherURL={#MyAppURL}
AppSupportURL={#MyAppURL}/issues
AppUpdatesURL={#MyAppURL}/releases
AppCopyright=Copyright (c) 2026 The minsheng-desktop authors (MIT)
VersionInfoVersion={#MyAppVersion}
VersionInfoProductName={#MyAppName}
DefaultDirName={autopf}\minsheng
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
; Per-user: no UAC prompt; clerks' PCs are usually locked down.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or later.
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=minsheng-{#MyAppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\minsheng.ico
UninstallDisplayIcon={app}\minsheng-gui.exe
UninstallDisplayName={#MyAppName} {#MyAppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ChangesAssociations=no

[Languages]
; ChineseSimplified.isl is an UNOFFICIAL translation in Inno Setup: it is not shipped in Inno's Languages\
; folder. Copy it from the Inno Setup translations page (jrsoftware.org/files/istrans/, "Chinese (Simplified)")
; into packaging\windows\ before building; the build script checks that it is there.
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; Our licence and the bundled software's, where IT staff look for them (关于 shows the same files).
Source: "{#BundleDir}\_internal\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\THIRD-PARTY-NOTICES.txt"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"; Comment: "民生实事进度填报与报表导出"
Name: "{autoprograms}\卸载 {#MyAppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "启动{#MyAppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put in {app} (plus Python's byte-code caches, if any). Never {localappdata}\minsheng.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
// A last word on uninstall, so the clerk knows where the data stayed.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('程序已卸载。您的数据（数据库与备份）仍保存在：' + #13#10 +
           ExpandConstant('{localappdata}\minsheng') + #13#10 +
           '重新安装后会继续使用这些数据；如确实不再需要，可手动删除该文件夹。', mbInformation, MB_OK);
end;
