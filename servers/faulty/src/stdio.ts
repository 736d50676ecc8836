#!/usr/bin/env node
// faulty-stdio [flags]: see runFaultyStdioServer for tools and parseFlags for flags.
import { parseFlags, runFaultyStdioServer } from './stdio-server.js';

runFaultyStdioServer(parseFlags(process.argv.slice(2)));
