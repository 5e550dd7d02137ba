# syntax=docker/dockerfile:1
# The `covenant` command in a small image: built here, run as a user without privileges.
#
#   docker build -t covenant .
#   docker run --rm -v "$PWD:/work" covenant check -p policies deals
#
# The image's working folder is /work: mount the repository there. Its entry point is
# `covenant`, so the arguments are a command's (`check`, `lint`, `fmt --check`, `schema --json`,
# `serve` …). Linted by hadolint in the tests (tests/it/distribution.rs, docs/install.md).

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The dist profile: the release build (no debug info) optimised across crates (Cargo.toml). The
# registry and the build folder are cache mounts: a rebuild after a source change compiles only
# what changed.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin covenant \
    && install -D -m 0755 target/dist/covenant /out/covenant

# The binary links only glibc and libgcc (tests/it/distribution.rs checks it), both in the slim
# image. Debian rather than distroless: a CI job that runs in the image needs a shell.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="covenant" \
      org.opencontainers.image.description="Check joint-venture deal proposals against declarative policies" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
RUN groupadd --system --gid 10001 covenant \
    && useradd --system --uid 10001 --gid covenant --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin covenant
COPY --from=build /out/covenant /usr/local/bin/covenant
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["covenant"]
CMD ["--help"]
