/** `parley status [online|busy|invisible]`: show or set the status others see. */
import { PRESENCE_CHOICES, type PresenceChoice } from '@parley/protocol';
import { expectArgs, type Command } from '../command.js';
import { usageError } from '../cli-error.js';
import { presenceText } from '../presence-text.js';

function isChoice(value: string): value is PresenceChoice {
  return (PRESENCE_CHOICES as readonly string[]).includes(value);
}

export const status: Command = {
  name: 'status',
  args: '[status]',
  summary: 'show or set your status for every device: online, busy or invisible',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    const [wanted] = input.positionals;
    if (input.positionals.length > 1) expectArgs(input, 'status');
    if (wanted !== undefined && !isChoice(wanted))
      throw usageError(`unknown status "${wanted}": choose online, busy or invisible`);
    const { client, me } = await ctx.session();
    if (wanted !== undefined) await client.setPresence(wanted);
    const [own] = await client.presence([me.id]);
    const choice = own?.choice ?? 'online';
    const seen = own ? presenceText(own) : 'offline';
    ctx.stdout.write(
      choice === 'invisible'
        ? `Status: invisible (others see you offline)\n`
        : `Status: ${choice} (others see: ${seen})\n`,
    );
  },
};
