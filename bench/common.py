"""What the benchmark scripts share. Each script runs as `python bench/<name>.py`, so this
module is imported as `common`."""

from pathlib import Path


def fresh_database(kind, *, sqlite_path, postgres_url):
    """An empty database of that kind, dropped and created again; returns its DATABASE_URL."""
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"
    import psycopg

    server, name = postgres_url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url
