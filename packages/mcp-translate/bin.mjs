#!/usr/bin/env node
// The unscoped `mcp-translate` package is an alias: everything lives in @contextforge/translate.
import { runCli } from '@contextforge/translate';

void runCli(process.argv);
