#!/usr/bin/env bash
# Installs the real Prometheus server and promtool (Debian/Ubuntu package `prometheus`) for the
# integration tests, which start their own server on a loopback port; so no system Prometheus
# service may keep running. Idempotent: does nothing but print versions when both are installed.
set -euo pipefail

fail() {
  echo "install-prometheus: $*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif have sudo; then
    sudo -n "$@"
  else
    fail "need root (or passwordless sudo) to run: $*"
  fi
}

install_package() {
  have apt-get || fail "apt-get not found; install Prometheus 2.x by other means so that prometheus and promtool are on PATH"
  echo "install-prometheus: installing the Debian package prometheus"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    fail "apt-get update failed; check the network and the apt sources, then rerun"
  # Without recommends: prometheus-node-exporter would be one more daemon the tests do not use.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus ||
    fail "apt-get install prometheus failed (see above); on non-Debian systems install Prometheus 2.x manually"
}

# The package enables and may start a service on :9090; the tests never use it.
stop_system_service() {
  if [ -d /run/systemd/system ] && have systemctl; then
    as_root systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    if systemctl is-active --quiet prometheus.service; then
      fail "the system prometheus service is still running; stop it with: sudo systemctl disable --now prometheus"
    fi
  elif [ -x /etc/init.d/prometheus ]; then
    # No systemd (containers): the init script's status tells whether invoke-rc.d started it.
    if /etc/init.d/prometheus status >/dev/null 2>&1; then
      as_root /etc/init.d/prometheus stop >/dev/null 2>&1 || true
      if /etc/init.d/prometheus status >/dev/null 2>&1; then
        fail "the system prometheus service is still running; stop it with: sudo /etc/init.d/prometheus stop"
      fi
    fi
  fi
}

if ! have prometheus || ! have promtool; then
  install_package
  have prometheus && have promtool ||
    fail "the prometheus package installed, but prometheus or promtool is not on PATH ($PATH)"
fi
if dpkg -s prometheus >/dev/null 2>&1; then
  stop_system_service
fi

prometheus --version 2>&1 | head -n 1
promtool --version 2>&1 | head -n 1
