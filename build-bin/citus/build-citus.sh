#!/usr/bin/env bash
# Builds Citus from the source tarball next to this script (citus-<version>.tar.gz) and installs it
# into Debian's PostgreSQL 15 (/usr/lib/postgresql/15). Debian has no Citus package; this is the way.
#
#   sudo ./build-citus.sh            build and install, unless this Citus version is already installed
#   sudo FORCE=1 ./build-citus.sh    build and install even so
#
# Steps: apt installs the build dependencies (postgresql-server-dev-15 at the installed server's
# version, so the headers match the server), then configure, make -j$(nproc), make install. Takes
# about 2 minutes on 2 cores. The build needs root (apt, and writing into /usr/lib/postgresql/15);
# finding this version already installed (0.02 s) does not, so tests run it before every cluster.
# Afterwards: shared_preload_libraries = 'citus' in postgresql.conf, then CREATE EXTENSION citus
# (start-cluster.sh does both).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config

die() { echo "build-citus.sh: $*" >&2; exit 1; }

tarball=${CITUS_TARBALL:-$(ls "$here"/citus-*.tar.gz 2>/dev/null | sort -V | tail -n 1)}
[ -n "$tarball" ] && [ -f "$tarball" ] || die "no citus-<version>.tar.gz next to this script"
version=$(basename "$tarball" .tar.gz); version=${version#citus-}

libdir=/usr/lib/postgresql/$PG_MAJOR/lib
# The library names its version in its version string ("Citus 13.2.2 on x86_64-pc-linux-gnu, ...").
if [ "${FORCE:-0}" != 1 ] && [ -f "$libdir/citus.so" ] && grep -aq "Citus $version on " "$libdir/citus.so" \
   && [ -f /usr/share/postgresql/$PG_MAJOR/extension/citus.control ]; then
  echo "Citus $version is already installed in PostgreSQL $PG_MAJOR ($libdir/citus.so); nothing to do (FORCE=1 rebuilds)."
  exit 0
fi
# Only the build needs root: the check above does not, so tests run by any user find an installed Citus.
[ "$(id -u)" = 0 ] || die "Citus $version is not installed: run as root (apt-get, make install into $libdir)"

export DEBIAN_FRONTEND=noninteractive
# Build dependencies. postgresql-server-dev-N must match the installed server: pin it to the installed
# postgresql-N version when apt still has that version, else upgrade the server with it.
deps=(make gcc autoconf flex bison pkg-config libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev
      libssl-dev libicu-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev uuid-dev)
apt-get update -qq
server_version=$(dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR" 2>/dev/null || true)
if [ -n "$server_version" ] && apt-cache madison "postgresql-server-dev-$PG_MAJOR" | grep -q "| $server_version |"; then
  echo "PostgreSQL $PG_MAJOR $server_version is installed: installing postgresql-server-dev-$PG_MAJOR=$server_version"
  dev=("postgresql-server-dev-$PG_MAJOR=$server_version" "libpq-dev=$server_version")
else
  echo "postgresql-server-dev-$PG_MAJOR at the server's version (${server_version:-none}) is not in apt:" \
       "installing/upgrading postgresql-$PG_MAJOR and its headers together (running clusters restart)"
  dev=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" libpq-dev)
fi
apt-get install -y -q --no-install-recommends "${dev[@]}" "${deps[@]}" >/tmp/build-citus-apt.log 2>&1 \
  || { tail -n 30 /tmp/build-citus-apt.log >&2; die "apt-get install failed (log: /tmp/build-citus-apt.log)"; }
"$PG_CONFIG" --version >/dev/null || die "no $PG_CONFIG after installing postgresql-server-dev-$PG_MAJOR"

work=$(mktemp -d /tmp/build-citus.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
src="$work/citus-$version"
[ -x "$src/configure" ] || die "$tarball does not hold citus-$version/configure"

cd "$src"
start=$(date +%s)
echo "Building Citus $version against $("$PG_CONFIG" --version) in $src ..."
./configure PG_CONFIG="$PG_CONFIG" >"$work/configure.log" 2>&1 || { tail -n 30 "$work/configure.log" >&2; die "configure failed"; }
make -j"$(nproc)" >"$work/make.log" 2>&1 || { grep -m 20 -i "error" "$work/make.log" >&2; die "make failed"; }
make install >"$work/install.log" 2>&1 || { tail -n 30 "$work/install.log" >&2; die "make install failed"; }
grep -aq "Citus $version on " "$libdir/citus.so" || die "installed citus.so does not report version $version"
echo "Installed Citus $version into PostgreSQL $PG_MAJOR in $(( $(date +%s) - start )) s:" \
     "$libdir/citus.so, /usr/share/postgresql/$PG_MAJOR/extension/citus*"
echo "Enable it with shared_preload_libraries = 'citus', then CREATE EXTENSION citus (see start-cluster.sh)."
