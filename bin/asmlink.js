#!/usr/bin/env node
// Not the package's bin (that is bin/asmlink, a /bin/sh launcher that sets
// GLIBC_TUNABLES and V8's thread pool first): this file was the bin before
// it, and npx keeps the bin links of a local package it installed, keyed by
// the directory, without refreshing them, so `npx asmlink` in a checkout used
// before would find a link to this path. It runs the same CLI, without the
// launcher's settings.
import './asmlink.cjs';
