#!/usr/bin/env node
// Runs the official MCP conformance suite against an endpoint: node tools/conformance/run.mjs --help
import { main } from './src/cli.mjs';

process.exitCode = await main(process.argv);
