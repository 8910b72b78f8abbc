# Production image: the built web UI and the Python app in one container.
FROM node:22-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore keeps the host's node_modules and dist out: the image's own modules stay.
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SNP_HOST=0.0.0.0 SNP_PORT=8000 SNP_FRONTEND_DIST=/app/frontend/dist
WORKDIR /app
# The locked versions, checked against their hashes, then the project without resolving again.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY snp/ snp/
COPY agenda/ agenda/
COPY regulation/ regulation/
COPY notifications/ notifications/
COPY sas/ sas/
COPY indicators/ indicators/
COPY rights/ rights/
COPY composition/ composition/
RUN pip install --no-cache-dir --no-deps . && useradd --system --home /app snp && mkdir -p /app/var \
    && chown snp /app/var
COPY --from=frontend /build/frontend/dist /app/frontend/dist
USER snp
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrations run at every start (idempotent), then the server.
CMD ["sh", "-c", "snp db upgrade && snp serve"]
