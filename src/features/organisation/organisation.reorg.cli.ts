import type { AppContext } from '../../core/context';
import { mergeOrganisations, ReorgRefused, splitOrganisation } from './organisation.reorg.service';

/** The CLI's `org:merge` and `org:split` (src/cli.ts calls these and prints the line they return). */

function cliOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new ReorgRefused(name, 'reorg.cli.needs_value', { option: `--${name}` });
  return value;
}

function cliRequired(args: string[], name: string): string {
  const value = cliOption(args, name);
  if (value === undefined) throw new ReorgRefused(name, 'reorg.cli.required', { option: `--${name}` });
  return value;
}

const codeList = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

/**
 * `org:merge --into CODE --from CODE,CODE --on YYYY-MM-DD --reason TEXT [--name NAME --kind KIND --parent CODE]`:
 * into an existing organisation, or, with --name, into a new one. Returns the line to print.
 */
export async function orgMergeCommand(ctx: AppContext, args: string[]): Promise<string> {
  const into = cliRequired(args, 'into');
  const name = cliOption(args, 'name');
  const successor = name === undefined ? { code: into } : { code: into, name, kind: cliOption(args, 'kind'), parentCode: cliOption(args, 'parent') };
  const done = await mergeOrganisations(
    ctx,
    { predecessors: codeList(cliRequired(args, 'from')), successor, effectiveOn: cliRequired(args, 'on'), reason: cliRequired(args, 'reason') },
    null,
  );
  const s = done.successors[0];
  return `${done.predecessors.map((p) => p.code).join(', ')} merged into ${s.code}${s.created ? ` (created, id ${s.id})` : ''}; ${done.usersMoved} user(s) moved`;
}

/** `org:split --from CODE --into CODE:NAME,CODE:NAME --on YYYY-MM-DD --reason TEXT [--kind KIND]`. Returns the line to print. */
export async function orgSplitCommand(ctx: AppContext, args: string[]): Promise<string> {
  const kind = cliOption(args, 'kind');
  const successors = codeList(cliRequired(args, 'into')).map((item) => {
    const colon = item.indexOf(':');
    if (colon < 1) throw new ReorgRefused('into', 'reorg.cli.code_name', { item });
    return { code: item.slice(0, colon), name: item.slice(colon + 1), ...(kind ? { kind } : {}) };
  });
  const done = await splitOrganisation(
    ctx,
    { predecessor: cliRequired(args, 'from'), successors, effectiveOn: cliRequired(args, 'on'), reason: cliRequired(args, 'reason') },
    null,
  );
  return `${done.predecessors[0].code} split into ${done.successors.map((s) => `${s.code} (id ${s.id})`).join(', ')}`;
}
