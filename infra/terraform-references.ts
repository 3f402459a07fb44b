/**
 * Stacks read each other only through explicit `terraform_remote_state` outputs: every resource or
 * data source a stack's interpolations name (`${aws_x.name.attr}`, `${data.aws_y.name.attr}`, also
 * inside function calls and `for` expressions) must be one of that stack's own.
 *
 * cdktf's prepare pass would quietly turn a token that crosses stacks into an automatic output and
 * remote state; the render skips that pass (it resolved every token a second time) and refuses
 * such a reference instead, naming the stack and what it names.
 */

/** A resource type has a provider prefix (`aws_`, `random_`, `terraform_`); `var.`, `local.`, `each.`, `count.`, `path.`, `module.` have none. */
const REFERENCE = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const FOR_VARIABLES = /\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b/g;

/** The `${...}` interpolations of a string, braces inside them (`${{ for ... }}`) included. */
function interpolations(value: string): string[] {
  const out: string[] = [];
  for (let start = value.indexOf('${'); start !== -1; start = value.indexOf('${', start + 2)) {
    let depth = 0;
    let end = start + 1;
    for (; end < value.length; end++) {
      if (value[end] === '{') depth++;
      else if (value[end] === '}' && --depth === 0) break;
    }
    out.push(value.slice(start + 2, end));
    start = end - 1;
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stack's Terraform JSON as an object (what `TerraformStack.toTerraform()` returns). */
export interface TerraformDocument {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly data?: Record<string, Record<string, Json>>;
  readonly [block: string]: unknown;
}

/** Every reference of each stack to a resource or data source it does not define (empty when none). */
export function foreignReferenceProblems(stacks: readonly { readonly stack: string; readonly terraform: TerraformDocument }[]): string[] {
  const problems: string[] = [];
  for (const { stack, terraform: parsed } of stacks) {
    const defines = (data: boolean, type: string, name: string) => Object.hasOwn((data ? parsed.data : parsed.resource)?.[type] ?? {}, name);
    const seen = new Set<string>();
    const visit = (node: Json): void => {
      if (typeof node === 'string') {
        if (!node.includes('${')) return;
        for (const expression of interpolations(node)) {
          const locals = new Set([...expression.matchAll(FOR_VARIABLES)].flatMap((m) => [m[1], m[2]]).filter((v) => v !== undefined));
          for (const [, data, type, name] of expression.matchAll(REFERENCE)) {
            if (locals.has(type) || defines(data !== undefined, type, name)) continue;
            const ref = `${data ?? ''}${type}.${name}`;
            if (seen.has(ref)) continue;
            seen.add(ref);
            problems.push(`stack ${stack}: "\${${expression}}" names ${ref}, which is not in this stack (stacks read each other through terraform_remote_state outputs)`);
          }
        }
      } else if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === 'object') Object.values(node).forEach(visit);
    };
    visit(parsed as Json);
  }
  return problems;
}
