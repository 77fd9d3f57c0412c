"""The workspace's data: the database (schema, migrations, sessions), the draft store, a draft
checked for the record, the records kept of issuers, submissions, versions and notices, the
figures compiled from their tables, and the exports."""
