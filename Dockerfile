# Two stages: a Go toolchain builds a static binary (pure-Go SQLite, so no
# cgo), and a small Alpine image runs it as an unprivileged user. Alpine
# rather than scratch/distroless because busybox's wget does the
# HEALTHCHECK and its CA bundle serves TLS connections to a managed MariaDB.
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
	-o /out/schooladmin ./cmd/schooladmin

FROM alpine:3.22
RUN addgroup -S -g 10001 schooladmin \
	&& adduser -S -D -H -u 10001 -G schooladmin schooladmin \
	&& mkdir /data && chown schooladmin:schooladmin /data
COPY --from=build /out/schooladmin /usr/local/bin/schooladmin
USER schooladmin:schooladmin
# The default DATABASE_URL (sqlite:schooladmin.db) lands in this writable
# directory; with MariaDB nothing is written here.
WORKDIR /data
# The healthcheck below and prometheus/prometheus.yml expect port 8080.
ENV ADDR=:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
	CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["schooladmin"]
CMD ["serve"]
