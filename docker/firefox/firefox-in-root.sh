#!/bin/sh
# Firefox from the project's own sid root (lib/firefox.ts, docker/setup/firefox-root.ts), started the way Playwright
# starts a stock Firefox (`--profile <dir> --remote-debugging-port=0 --headless`). In a mount namespace of its own, so
# nothing of this is seen outside: the root's /etc/hosts holds this project's names and nothing else (no DNS server at
# all), the profile's NSS database is the run's (the test CA and a proxy's own CA, beside Firefox's built-in roots),
# and /tmp is fresh.
set -eu
root=${PROXYLAB_FIREFOX_ROOT:?PROXYLAB_FIREFOX_ROOT names the Firefox root; run through the harness}
# Playwright's profile folder, given as `--profile <dir>`: inside the root it is /tmp/profile.
profile=""
prev=""
for arg in "$@"; do
  [ "$prev" = "--profile" ] && profile=$arg
  prev=$arg
done
if [ -n "$profile" ] && [ -n "${PROXYLAB_NSSDB:-}" ]; then
  cp "$PROXYLAB_NSSDB/cert9.db" "$PROXYLAB_NSSDB/key4.db" "$profile/"
fi
exec unshare --mount --propagation private -- sh -eu -c '
  root=$1
  profile=$2
  shift 2
  mount -t tmpfs -o mode=1777 proxylab-tmp "$root/tmp"
  mkdir -p "$root/tmp/profile" "$root/tmp/home"
  [ -n "$profile" ] && mount --bind "$profile" "$root/tmp/profile"
  printf "127.0.0.1 localhost\n::1 localhost\n%s\n" "${PROXYLAB_HOSTS:-}" > "$root/tmp/hosts"
  printf "hosts: files\n" > "$root/tmp/nsswitch.conf"
  : > "$root/tmp/resolv.conf"
  for f in hosts nsswitch.conf resolv.conf; do mount --bind "$root/tmp/$f" "$root/etc/$f"; done
  mount --rbind /dev "$root/dev"
  mount --rbind /proc "$root/proc"
  mount --rbind /sys "$root/sys"
  # Playwright passes --profile <host path>: the same folder, seen at /tmp/profile inside the root.
  n=0
  prev=""
  for arg in "$@"; do
    [ "$n" -eq 0 ] && set --
    n=$((n + 1))
    [ "$prev" = "--profile" ] && arg=/tmp/profile
    set -- "$@" "$arg"
    prev=$arg
  done
  export HOME=/tmp/home TMPDIR=/tmp
  exec chroot "$root" /usr/lib/firefox/firefox "$@"
' proxylab-firefox "$root" "$profile" "$@"
