"""The main window's features, one controller object each, held by MainWindow (which is layout, menus, wiring):

    navigation  the tree: reading the lists, selecting, expanding, the search and unit filters
    month       the month shown: the tree's cells, the 本月填报 overview, the detail pane, the months read ahead
    importing   导入目标任务: choose or drop a file, read it in a worker, preview, store
    reports     deleting a month's report and bringing it back
    backup      备份与恢复, today's backup, the background integrity check
    tools       导出, 发送月报 and the 发件箱; the office template and 汇总 (installed separately)
    sample      the welcome panel of an empty database; the sample data in its own database, and back
    window      what they use of the window (a Protocol: they never import main_window, which imports them)
"""
