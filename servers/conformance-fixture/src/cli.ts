#!/usr/bin/env node
import { runCli } from './run-cli.js';

// No top-level await: the release bundles this entry into CommonJS for single-executable binaries.
void runCli(process.argv);
