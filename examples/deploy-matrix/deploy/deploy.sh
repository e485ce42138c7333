#!/bin/sh
# Stands in for a real deploy: says what it would roll out where, and never leaves the machine.
set -e
echo "deploying version $VERSION to $1"
