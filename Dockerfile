# bindep-sbom in a container image: a build stage with the -dev packages,
# and a Debian 12 slim runtime stage with only the libraries the program
# loads (tests/e2e/cases_install.py compares this list with what a scan of
# the built program by itself says it needs).
#
#   docker build -t bindep-sbom .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" \
#       bindep-sbom -o sbom.cdx.json dist/
#
# The user stays root for CI runners that mount a workspace (GitLab's,
# GitHub's container jobs); --user runs it as anyone: it needs no
# privilege, it only reads.
#
# The image also holds the CI run script (/usr/share/bindep-sbom/ci/) that
# contrib/ci/gitlab/bindep-sbom.gitlab-ci.yml calls.

FROM debian:12-slim AS build
# The packages of contrib/install-deps' build list.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		build-essential pkg-config libelf-dev libcjson-dev libcyaml-dev \
		libyaml-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev \
		libarchive-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make -j"$(nproc)" PREFIX=/usr \
	&& make install PREFIX=/usr DESTDIR=/out

FROM debian:12-slim
# The runtime libraries: the Debian packages of the program's DT_NEEDED
# libraries; apt brings what they need in turn. ca-certificates is for
# --online (HTTPS to ecosyste.ms), not a library.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		libarchive13 libc6 libcjson1 libcurl4 libcyaml1 libelf1 \
		libsqlite3-0 libssl3 libyaml-0-2 \
		ca-certificates \
	&& rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /
WORKDIR /work
ENTRYPOINT ["bindep-sbom"]
CMD ["--help"]
