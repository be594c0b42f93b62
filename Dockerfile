# kchat on a Debian-based Swift image: build in one stage, run in a slim one.
FROM swift:6.1-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libncurses-dev librdkafka-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product kchat --static-swift-stdlib \
    && cp .build/release/kchat /usr/local/bin/kchat

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libncursesw6 librdkafka1 ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/kchat /usr/local/bin/kchat
ENV KCHAT_DATA=/data
VOLUME /data
EXPOSE 9092
ENTRYPOINT ["kchat"]
CMD ["broker", "--listen", "0.0.0.0:9092", "--data", "/data"]
