"""The WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""

from hackathon import create_app

app = create_app()
