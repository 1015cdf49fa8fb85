"""The use cases the window and the command line share; neither reaches storage, importers, exporters or mail
except through these modules.

    database   the database handle, opening it, choosing a target list
    importing  reading a notice, the import preview, corrections, storing it
    reports    saving and reading monthly reports
    dump       dump / load as JSON
    workbench  the month's overview and the report form's checks (being split, issue 14)
    export     the month's exports
    mailing    the month's e-mail: recipient, sender, counts, draft, message
    outbox     the 发件箱, the sent log, sending
    settings   the 报送与邮件 settings as typed values
    collect, collect_read   汇总: the units' returned reports into the district's month
    evidence   佐证材料 attached to a month's report
    backup     backups, restore, integrity checks

This file imports nothing, so that opening one of them does not load the others (start-up time).
"""
