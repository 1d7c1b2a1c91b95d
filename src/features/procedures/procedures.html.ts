import Handlebars from 'handlebars';

/**
 * Parts of the list pages (procedures, the nonconformity register, the all-procedures summary) written as HTML text
 * in code instead of a Handlebars loop: the 50–100 rows of a table and the 50 options of the unit select. Handlebars
 * looks up every `{{field}}` among the helpers first and runs `#if` and `selectedIf` as helper calls, which cost more
 * than the text itself (about a third of a list page's rendering). The output is the same bytes the templates
 * printed (their lines without indentation), escaped by Handlebars' own function; the templates insert it with
 * `{{{…}}}`.
 */
export const esc = (value: unknown): string => Handlebars.Utils.escapeExpression(value as string);

/**
 * `<option value="V" selected>L</option>` for each option, as `{{#each options}}<option value="{{value}}"
 * {{selectedIf value selected}}>{{label}}</option>{{/each}}` printed it (a space before `>` when not selected).
 */
export function optionsHtml(options: readonly { value: number | string; label: string }[], selected: unknown): string {
  const chosen = selected === undefined || selected === null ? undefined : String(selected);
  let out = '';
  for (const o of options) out += `<option value="${esc(o.value)}" ${String(o.value) === chosen ? 'selected' : ''}>${esc(o.label)}</option>`;
  return out;
}
