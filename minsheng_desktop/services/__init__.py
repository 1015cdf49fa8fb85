"""The use cases the window and the command line share; neither reaches storage, importers, exporters or mail
except through these modules.

    database   the database handle, opening it (checked for damage), choosing a target list
    importing  reading a notice, the import preview, corrections, storing it
    reports    saving and reading monthly reports, copying last month's, deleting and restoring one
    dump       dump / load as JSON
    lists      the target lists as the window lists them, projects per list, the lead units
    month      a list's month: its cells, the 本月填报 overview and summary, the month due
    holidays   the work calendar (the clerk's holiday overrides)
    history    a project's edit history in Chinese
    export     the month's exports: names, building and writing them, the district's variants
    formats    the export formats (the interfaces' choices), without loading the export use cases
    month_data a month read into the exporters' plain MonthData
    templates  an office's own blank table: recognise it, remember it per list
    mailing    the month's e-mail: recipient, sender, counts, draft, message
    outbox     the 发件箱, the sent log, sending
    settings   the 报送与邮件 settings as typed values
    collect, collect_read   汇总: the units' returned reports into the district's month
    collect_mail   汇总 from the mailbox (IMAP): the month's messages, each taken once
    evidence   佐证材料 attached to a month's report
    backup     backups, restore, integrity checks
    plan       the projects' 实施方案: a project's plan, a list's plans, writing the plan out
    assessment the 发展改革委's 考核评比 over the lead units, traceable to each month
    units      the units' address book (单位通讯录): typed, loaded from a file, learnt from returns
    remind     reminders (催报) to the units that have not reported a month
    plan_table a filled 实施方案 table read back (`minsheng plan load`)
    sample     the sample data (示例数据): its own database, recreated from the file shipped in sample/

This file imports nothing, so that opening one of them does not load the others (start-up time).
"""
