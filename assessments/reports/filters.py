"""The reports list no records: their one filter is the level switch, forms.ReportScopeForm."""
