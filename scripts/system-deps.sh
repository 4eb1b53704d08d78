#!/usr/bin/env bash
# Installs the system programs journal needs for PDFs and for its tests, where they are missing:
# a Chromium for PDF output, DejaVu fonts (Cyrillic), poppler-utils (pdftotext, pdftoppm for tests)
# LibreOffice Calc (round-trip tests) and PostgreSQL (district tests). Uses apt-get on Debian/Ubuntu when run as root;
# elsewhere it only says what to install.
set -eu
need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
  || command -v google-chrome >/dev/null 2>&1 || [ -n "${JOURNAL_BROWSER:-}" ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${1:-}" = "--tests" ]; then
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
  # the district tests start a throw-away PostgreSQL cluster (initdb, pg_ctl)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Устанавливаю системные пакеты: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Не хватает системных пакетов: ${need[*]}" >&2
  echo "Установите их (Debian/Ubuntu: sudo apt-get install ${need[*]}) или укажите браузер в JOURNAL_BROWSER." >&2
fi
