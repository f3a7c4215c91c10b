#!/usr/bin/env bash
# Installs what wfsim needs from Debian's archive, skipping what is already
# there. Safe to run again; as root it uses apt-get directly, else sudo.
set -euo pipefail

packages=(
  g++ cmake make git
  libboost-random-dev libboost-program-options-dev
  libyaml-cpp-dev libhdf5-dev libtbb-dev libfmt-dev zlib1g-dev catch2
  libopenmpi-dev openmpi-bin libhdf5-openmpi-dev   # the MPI build (WFSIM_WITH_MPI)
  hdf5-tools python3-h5py python3-numpy python3-pandas
  python3-matplotlib python3-yaml            # wfsim report
  jupyter-nbconvert python3-ipykernel        # the notebooks and their tests
  chromium                                   # the report's browser test
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
