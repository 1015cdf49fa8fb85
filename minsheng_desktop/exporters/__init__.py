"""Exports of a month's progress, built from plain records (data.MonthData), never from the database.

    formats     the one table of formats (key, name, suffix, file name, builders, months)
    data        MonthData and the table's rows and sections; naming: the file names
    xlsx, docx_table, letter, bulletin, district   the builders; layout, official, numbers, summary their parts
    template, template_docx, template_model        filling an office's own blank table

This file imports nothing, so that using one format does not load the libraries of the others (start-up time).
"""
