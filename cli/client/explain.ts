/**
 * `marina explain TYPE[.FIELD…] [--recursive]`: a resource's fields and their documentation,
 * read from the OpenAPI v3 document the server publishes for the resource's group-version, in
 * kubectl's plain-text layout (GROUP/KIND/VERSION, FIELD, DESCRIPTION, FIELDS).
 */
import { Command } from 'commander';
import type { Cli } from './command';
import { apiVersionOf, type ApiResource } from './discovery';
import { CliError, usageError } from './io';

interface Schema {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly allOf?: readonly Schema[];
  readonly $ref?: string;
  readonly 'x-kubernetes-group-version-kind'?: readonly { readonly group: string; readonly version: string; readonly kind: string }[];
}

interface Document {
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

interface ExplainOptions {
  readonly recursive?: boolean;
}

export function explainCommand(cli: Cli): Command {
  const cmd = new Command('explain')
    .description('Document a resource and its fields (TYPE or TYPE.FIELD.FIELD…) from the server\'s OpenAPI')
    .argument('[path]', 'e.g. deployment, deployment.spec.strategy')
    .option('--recursive', 'list every field below, without descriptions');
  return cli.verb<ExplainOptions>(cmd, async (ctx) => {
    const path = ctx.args[0];
    if (!path) throw usageError('you must specify the type of resource to explain (e.g. marina explain pods)');
    const session = await ctx.session();
    const [word, ...fields] = path.split('.');
    const mapper = await session.mapper();
    // `deployments.apps.spec`? kubectl reads the first segment as the resource; a group goes in --api-version.
    const resource = mapper.resolveOne(word!);
    const doc = await openApiDocument(session.client, resource);
    const schemas = doc.components?.schemas ?? {};
    const deref = (s: Schema | undefined): Schema | undefined => {
      let cur = s;
      for (let i = 0; cur && i < 20; i++) {
        const ref = cur.$ref ?? (cur.allOf?.length === 1 ? cur.allOf[0]!.$ref : undefined);
        if (!ref) return cur;
        const target = schemas[ref.replace('#/components/schemas/', '')];
        cur = target ? { ...target, ...(cur.description ? { description: cur.description } : {}) } : undefined;
      }
      return cur;
    };
    let schema = deref(Object.values(schemas).find((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.group === resource.group && g.version === resource.version && g.kind === resource.kind)));
    if (!schema) throw new CliError(`the server's OpenAPI has no schema for ${resource.kind} (${apiVersionOf(resource)})`);
    let fieldLine = '';
    for (const f of fields) {
      const inner: Schema | undefined = schema.items && !schema.properties ? deref(schema.items) : schema;
      const next: Schema | undefined = inner?.properties?.[f];
      if (!next) throw new CliError(`field "${f}" does not exist`);
      fieldLine = `FIELD: ${f} <${typeName(next, schemas)}>\n\n`;
      schema = deref(next)!;
    }
    const io = session.io;
    const head = [...(resource.group ? [`GROUP:      ${resource.group}`] : []), `KIND:       ${resource.kind}`, `VERSION:    ${resource.version}`].join('\n');
    io.stdout.write(`${head}\n\n${fieldLine}DESCRIPTION:\n${wrap(schema.description || '<empty>', 4)}\n`);
    if (schema.enum) io.stdout.write(`ENUM:\n${schema.enum.map((e) => `    ${String(e)}`).join('\n')}\n`);
    const props = (schema.items && !schema.properties ? deref(schema.items) : schema)?.properties;
    if (!props) return 0;
    io.stdout.write('\nFIELDS:\n');
    if (ctx.opts.recursive) {
      const walk = (s: Schema | undefined, level: number, seen: Set<Schema>) => {
        const ps = s?.properties ?? (s?.items ? deref(s.items)?.properties : undefined) ?? {};
        for (const [name, p] of Object.entries(ps)) {
          io.stdout.write(`${'  '.repeat(level)}${name}\t<${typeName(p, schemas)}>${s?.required?.includes(name) ? ' -required-' : ''}\n`);
          const d = deref(p);
          if (d && !seen.has(d)) walk(d, level + 1, new Set([...seen, d]));
        }
      };
      walk(schema, 1, new Set([schema]));
      return 0;
    }
    const required = (schema.items && !schema.properties ? deref(schema.items) : schema)?.required ?? [];
    for (const [name, p] of Object.entries(props)) {
      io.stdout.write(`  ${name}\t<${typeName(p, schemas)}>${required.includes(name) ? ' -required-' : ''}\n${wrap(deref(p)?.description || p.description || '<no description>', 4)}\n\n`);
    }
    return 0;
  });
}

/** The group-version's OpenAPI v3 document, through the index (the URL carries the hash). */
async function openApiDocument(client: { get<T>(path: string): Promise<T> }, resource: ApiResource): Promise<Document> {
  const index = await client.get<{ paths?: Record<string, { serverRelativeURL?: string }> }>('/openapi/v3');
  const key = resource.group ? `apis/${resource.group}/${resource.version}` : `api/${resource.version}`;
  const url = index.paths?.[key]?.serverRelativeURL ?? `/openapi/v3/${key}`;
  return client.get<Document>(url);
}

/** kubectl's type names: `string`, `integer`, `[]Container`, `map[string]string`, `ObjectMeta`. */
function typeName(s: Schema, schemas: Readonly<Record<string, Schema>>): string {
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]!.$ref : undefined);
  if (ref) {
    const name = ref.split('/').pop()!;
    const target = schemas[name];
    if (target?.type && target.type !== 'object') return target.type;
    return name.split('.').pop()!;
  }
  if (s.type === 'array') return `[]${s.items ? typeName(s.items, schemas) : 'Object'}`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object') return `map[string]${typeName(s.additionalProperties, schemas)}`;
  if (s.type === 'object' && !s.properties) return 'Object';
  return s.type ?? 'Object';
}

/** Text wrapped at 80 columns, indented. */
function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > 80) {
        out.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return out.join('\n');
}
