/** `parley save <fileId> [path]`: download a file sent in one of the user's conversations. */
import { visible } from '../format.js';
import { flag, type Command } from '../command.js';
import { usageError } from '../cli-error.js';
import { fileNameOf, saveFile } from '../files/download-file.js';
import { Progress, progressMode } from '../files/progress.js';
import { requireHttp } from '../files/upload-file.js';

export const save: Command = {
  name: 'save',
  args: '<fileId> [path]',
  summary: 'download a file (ids: parley files <username>); never overwrites',
  options: { quiet: { type: 'boolean', short: 'q' } },
  optionHelp: [
    '[path]             a directory (default: the current one) or a file name; an existing',
    '                   file is kept and the new one gets a suffix: "cat (1).jpg"',
    '-q, --quiet        no progress (default: a bar on a terminal, else a line per 10%)',
  ],
  async run(ctx, input) {
    const [fileId, target, extra] = input.positionals;
    if (!fileId) throw usageError('missing fileId');
    if (extra !== undefined) throw usageError(`unexpected argument "${extra}"`);
    const { client } = await ctx.session();
    requireHttp(client, ctx.server);
    const name = await fileNameOf(client, fileId);
    const mode = progressMode(ctx.io.stderr, flag(input.values, 'quiet'));
    const progress = new Progress(ctx.io.stderr, mode, `saving ${visible(name)}`);
    let path;
    try {
      path = await saveFile(client, fileId, name, target ?? null, (received, total) =>
        progress.update(received, total),
      );
    } finally {
      progress.finish();
    }
    ctx.stdout.write(`Saved ${visible(path)}\n`);
  },
};
