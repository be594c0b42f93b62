# kchat on a Debian-based Swift image: build in one stage, run in a slim one.
# (Not built in CI: the build machines have no Docker engine; the packages match scripts/setup.sh.)
FROM swift:6.3-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libncurses-dev librdkafka-dev libsqlite3-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product kchat --static-swift-stdlib \
    && cp .build/release/kchat /usr/local/bin/kchat

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libncursesw6 librdkafka1 libsqlite3-0 ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/kchat /usr/local/bin/kchat
ENV KCHAT_DATA=/data
VOLUME /data
EXPOSE 9092
ENTRYPOINT ["kchat"]
CMD ["broker", "--listen", "0.0.0.0:9092", "--data", "/data"]
