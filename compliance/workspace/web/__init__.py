"""The workspace's web application: the routes (login, uploads and their progress, pages,
downloads, exports), the login gate and CSRF, uploads read safely, the pool that checks drafts,
and the pages' templates."""
