import { Command } from 'commander';
import { registerRequestsCommand } from '/work/wt-25/src/cli/requests.js';
const p = new Command('settle'); registerRequestsCommand(p);
console.log(JSON.stringify(p.createHelp().subcommandTerm(p.commands[0]!)));
