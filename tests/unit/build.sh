#!/bin/sh
# Builds and runs the unit tests of the pure core exactly as the Makefile
# does. Run from anywhere; ASAN=1 adds AddressSanitizer and UBSan.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p var/build

SAN=""
if [ "${ASAN:-0}" = "1" ]; then
    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
fi

# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror -g $SAN \
    $(apr-1-config --cflags --cppflags --includes) -Imod_credit \
    tests/unit/*.c \
    mod_credit/credit_model.c mod_credit/credit_validate.c mod_credit/credit_rules.c \
    mod_credit/credit_route.c mod_credit/credit_filter.c \
    $(pkg-config --cflags --libs check) \
    $(apr-1-config --link-ld) $(apu-1-config --link-ld) \
    -o var/build/unit

var/build/unit
