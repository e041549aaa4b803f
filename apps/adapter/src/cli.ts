#!/usr/bin/env node
import { runFromArgv } from './main.js';

void runFromArgv(process.argv.slice(2));
