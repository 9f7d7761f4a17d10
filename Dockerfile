# The production image that docker-compose.yml runs as web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/run.txt requirements/run.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/run.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home coachapp && chown -R coachapp /app/var
USER coachapp
EXPOSE 8000
CMD ["gunicorn", "coachapp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
