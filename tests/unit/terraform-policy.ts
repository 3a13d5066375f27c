// Static policy checks over the Terraform configuration in terraform/.
// There is no cloud access and `terraform validate` needs providers that cannot be downloaded
// offline, so the configuration is parsed to JSON (@cdktf/hcl2json) and these functions assert
// the security rules on that JSON. Each check returns a list of violations, so a test can show
// both that the real configuration is clean and that a bad snippet is caught.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

export type HclValue = string | number | boolean | null | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

/** One labelled block: a resource, data source, module, variable, output or provider. */
export interface Block {
  /** Terraform address, e.g. `aws_instance.this`, `module.db`, `data.aws_iam_policy_document.runner`. */
  address: string;
  /** Resource or data-source type; empty for modules, variables, outputs and providers. */
  type: string;
  name: string;
  body: HclObject;
  file: string;
}

export interface TerraformConfig {
  files: string[];
  resources: Block[];
  data: Block[];
  modules: Block[];
  variables: Block[];
  outputs: Block[];
  providers: Block[];
  /** Every `terraform {}` block. */
  terraform: HclObject[];
  /** All `locals {}` blocks merged. */
  locals: HclObject;
  /** Values from a .tfvars file, used to check that example values obey the same rules. */
  tfvars: HclObject;
}

export function isObject(value: HclValue | undefined): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested blocks appear as arrays of objects, object-valued arguments as one object: accept both. */
export function objects(value: HclValue | undefined): HclObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Parses HCL text (a .tf or .tfvars file) to its JSON form. */
export async function parseHcl(fileName: string, text: string): Promise<HclObject> {
  const json: unknown = await parse(fileName, text);
  if (!isObject(json as HclValue)) throw new Error(`${fileName}: the HCL parser returned no object`);
  return json as HclObject;
}

/** Builds the configuration from parsed files (file name → parsed JSON). */
export function buildConfig(parsed: ReadonlyArray<{ file: string; json: HclObject }>, tfvars: HclObject = {}): TerraformConfig {
  const config: TerraformConfig = {
    files: parsed.map((p) => p.file),
    resources: [],
    data: [],
    modules: [],
    variables: [],
    outputs: [],
    providers: [],
    terraform: [],
    locals: {},
    tfvars,
  };
  for (const { file, json } of parsed) {
    for (const [kind, target, prefix] of [
      ['resource', config.resources, ''],
      ['data', config.data, 'data.'],
    ] as const) {
      const byType = json[kind];
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (!isObject(byName)) continue;
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of objects(bodies)) target.push({ address: `${prefix}${type}.${name}`, type, name, body, file });
        }
      }
    }
    for (const [kind, target, prefix] of [
      ['module', config.modules, 'module.'],
      ['variable', config.variables, 'var.'],
      ['output', config.outputs, 'output.'],
      ['provider', config.providers, 'provider.'],
    ] as const) {
      const byName = json[kind];
      if (!isObject(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of objects(bodies)) target.push({ address: `${prefix}${name}`, type: '', name, body, file });
      }
    }
    config.terraform.push(...objects(json['terraform']));
    for (const locals of objects(json['locals'])) Object.assign(config.locals, locals);
  }
  return config;
}

/** Loads every `.tf` file of a root module (not recursive: modules are pinned, not vendored). */
export async function loadConfig(dir: string, tfvarsFile?: string): Promise<TerraformConfig> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.tf')).sort();
  const parsed = await Promise.all(
    names.map(async (file) => ({ file, json: await parseHcl(file, await readFile(path.join(dir, file), 'utf8')) })),
  );
  const tfvars = tfvarsFile ? await parseHcl(path.basename(tfvarsFile), await readFile(tfvarsFile, 'utf8')) : {};
  return buildConfig(parsed, tfvars);
}

/** Parses inline HCL into a configuration, for tests that feed the checks a bad example. */
export async function configFromHcl(text: string): Promise<TerraformConfig> {
  return buildConfig([{ file: 'inline.tf', json: await parseHcl('inline.tf', text) }]);
}

export function findBlock(blocks: readonly Block[], address: string): Block {
  const block = blocks.find((b) => b.address === address);
  if (!block) throw new Error(`${address} is not declared`);
  return block;
}

/** True when a value (an expression string or anything containing one) mentions `ref`. */
export function refersTo(value: HclValue | undefined, ref: string): boolean {
  return value !== undefined && JSON.stringify(value).includes(ref);
}

const VAR_REF = /^\$\{var\.([A-Za-z0-9_]+)\}$/;

/**
 * The numbers an argument can take: a literal, or for `var.x` the default and the tfvars value.
 * A variable without a default and without a tfvars value yields nothing, which checks treat
 * as a violation (the rule cannot be shown to hold).
 */
export function possibleNumbers(value: HclValue | undefined, config: TerraformConfig): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'string') return [];
  if (/^-?\d+(\.\d+)?$/.test(value)) return [Number(value)];
  const match = VAR_REF.exec(value);
  if (!match?.[1]) return [];
  const name = match[1];
  const variable = config.variables.find((v) => v.name === name);
  const candidates = [variable?.body['default'], config.tfvars[name]];
  return candidates.filter((c): c is number => typeof c === 'number');
}

/** The strings an argument can take: a literal, or for `var.x` the default and the tfvars value. */
export function possibleStrings(value: HclValue | undefined, config: TerraformConfig): string[] {
  if (typeof value !== 'string') return [];
  const match = VAR_REF.exec(value);
  if (!match?.[1]) return [value];
  const name = match[1];
  const variable = config.variables.find((v) => v.name === name);
  return [variable?.body['default'], config.tfvars[name]].filter((c): c is string => typeof c === 'string');
}

// --- ingress -------------------------------------------------------------------------------

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

/** Ports of the named rules of terraform-aws-modules/security-group used in this project. */
const NAMED_RULE_PORTS: Record<string, PortRange> = {
  'all-all': { from: 0, to: 65535 },
  'http-80-tcp': { from: 80, to: 80 },
  'https-443-tcp': { from: 443, to: 443 },
  'postgresql-tcp': { from: 5432, to: 5432 },
  'ssh-tcp': { from: 22, to: 22 },
};

export interface PortRange {
  from: number;
  to: number;
}

export interface OpenIngress {
  address: string;
  /** Where in the block the open CIDR sits, e.g. `security_group_ingress_rules.https.cidr_ipv4`. */
  path: string;
  cidr: string;
  /** The ports it opens, or null when they cannot be told (treated as everything). */
  ports: PortRange[] | null;
}

function ruleRange(rule: HclValue | undefined): PortRange | null {
  if (typeof rule !== 'string') return null;
  const named = NAMED_RULE_PORTS[rule];
  if (named) return named;
  const match = /-(\d+)-(tcp|udp)$/.exec(rule);
  return match?.[1] ? { from: Number(match[1]), to: Number(match[1]) } : null;
}

function portsOf(owner: HclObject): PortRange[] | null | undefined {
  const from = owner['from_port'];
  const to = owner['to_port'];
  if (from !== undefined || to !== undefined) {
    const protocol = String(owner['protocol'] ?? owner['ip_protocol'] ?? 'tcp');
    if (protocol === '-1' || protocol === 'all') return [{ from: 0, to: 65535 }];
    const f = Number(from ?? to);
    const t = Number(to ?? from);
    return Number.isFinite(f) && Number.isFinite(t) ? [{ from: f, to: t }] : null;
  }
  if (owner['rule'] !== undefined) {
    const range = ruleRange(owner['rule']);
    return range ? [range] : null;
  }
  if (Array.isArray(owner['ingress_rules'])) {
    const ranges = owner['ingress_rules'].map(ruleRange);
    return ranges.every((r): r is PortRange => r !== null) ? ranges : null;
  }
  // This object says nothing about ports: ask the enclosing one.
  return undefined;
}

function startsInIngress(block: Block): boolean {
  if (block.type === 'aws_security_group_rule') return block.body['type'] === 'ingress';
  return /ingress/i.test(block.type);
}

function walkIngress(
  value: HclValue,
  trail: string[],
  owners: HclObject[],
  inIngress: boolean,
  address: string,
  found: OpenIngress[],
): void {
  if (typeof value === 'string') {
    if (!inIngress) return;
    for (const cidr of OPEN_CIDRS) {
      if (!value.includes(cidr)) continue;
      let ports: PortRange[] | null = null;
      for (let i = owners.length - 1; i >= 0; i -= 1) {
        const owner = owners[i];
        if (!owner) continue;
        const p = portsOf(owner);
        if (p !== undefined) {
          ports = p;
          break;
        }
      }
      found.push({ address, path: trail.join('.'), cidr, ports });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkIngress(item, [...trail, String(i)], owners, inIngress, address, found));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    // A key naming ingress (ingress, ingress_cidr_blocks, security_group_ingress_rules…) opens the
    // context; one naming egress closes it, so outbound rules to the internet are not reported.
    const next = /ingress/i.test(key) ? true : /egress/i.test(key) ? false : inIngress;
    walkIngress(child, [...trail, key], [...owners, value], next, address, found);
  }
}

/** Every place where 0.0.0.0/0 or ::/0 is admitted inbound, in resources and module arguments. */
export function findOpenIngress(config: TerraformConfig): OpenIngress[] {
  const found: OpenIngress[] = [];
  for (const block of [...config.resources, ...config.modules]) {
    walkIngress(block.body, [], [], startsInIngress(block), block.address, found);
  }
  return found;
}

/**
 * Violations of "only the load balancer takes traffic from the internet, and only on its
 * listener ports": any open ingress elsewhere, or on another port, or on ports that cannot be told.
 */
export function checkPublicIngress(
  config: TerraformConfig,
  allowed: { address: string; ports: readonly number[] } = { address: 'module.alb', ports: [80, 443] },
): string[] {
  return findOpenIngress(config)
    .filter((f) => {
      if (f.address !== allowed.address || f.ports === null) return true;
      return !f.ports.every((p) => p.from === p.to && allowed.ports.includes(p.from));
    })
    .map((f) => {
      const ports = f.ports === null ? 'unknown ports' : f.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(',');
      return `${f.address} ${f.path}: ingress from ${f.cidr} on ${ports}`;
    });
}

// --- IAM -----------------------------------------------------------------------------------

export interface Statement {
  sid: string;
  effect: string;
  actions: string[];
  resources: string[];
  notActions: string[];
  notResources: string[];
  conditions: HclObject[];
}

function stringList(value: HclValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The statements of a `data "aws_iam_policy_document"` block. */
export function statementsOf(doc: Block): Statement[] {
  return objects(doc.body['statement']).map((s, i) => ({
    sid: typeof s['sid'] === 'string' ? s['sid'] : `#${i}`,
    effect: typeof s['effect'] === 'string' ? s['effect'] : 'Allow',
    actions: stringList(s['actions']),
    resources: stringList(s['resources']),
    notActions: stringList(s['not_actions']),
    notResources: stringList(s['not_resources']),
    conditions: objects(s['condition']),
  }));
}

/** Action verbs that change something. Reads (Get, List, Describe) are not in this list. */
const WRITE_VERB =
  /^(Put|Delete|Create|Update|Attach|Detach|Modify|Tag|Untag|Pass|Set|Add|Remove|Write|Upload|Restore|Reboot|Terminate|Run|Start|Stop|Invoke|Send|Publish|Replicate|Rotate|Import|Enable|Disable|Associate|Disassociate|Register|Deregister|Revoke|Authorize|Copy|Change|Reset|Cancel|Abort|Replace|Batch)/;

export function isWriteAction(action: string): boolean {
  if (action === '*') return true;
  const verb = action.split(':')[1] ?? '';
  return verb.includes('*') || WRITE_VERB.test(verb);
}

/**
 * Violations in every policy document: an Allow with a write action on resource "*", an
 * Allow of "*" or "service:*", and Allow with NotAction/NotResource (grants by exclusion).
 */
export function checkPolicyDocuments(config: TerraformConfig): string[] {
  const violations: string[] = [];
  for (const doc of config.data.filter((d) => d.type === 'aws_iam_policy_document')) {
    for (const s of statementsOf(doc)) {
      if (s.effect !== 'Allow') continue;
      const where = `${doc.address} statement ${s.sid}`;
      if (s.notActions.length > 0 || s.notResources.length > 0) violations.push(`${where}: Allow with not_actions/not_resources`);
      for (const action of s.actions) {
        if (action === '*' || action.endsWith(':*')) violations.push(`${where}: wildcard action ${action}`);
        else if (s.resources.includes('*') && isWriteAction(action)) violations.push(`${where}: write action ${action} on resource "*"`);
      }
    }
  }
  return violations;
}

/**
 * Violations of "every policy goes through an aws_iam_policy_document": an inline JSON policy
 * (jsonencode or heredoc) would escape checkPolicyDocuments.
 */
export function checkPoliciesAreDocuments(config: TerraformConfig): string[] {
  const violations: string[] = [];
  for (const block of config.resources) {
    for (const key of ['policy', 'assume_role_policy']) {
      const value = block.body[key];
      if (value === undefined) continue;
      if (typeof value !== 'string' || !/^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_]+\.json\}$/.test(value)) {
        violations.push(`${block.address}.${key} is not an aws_iam_policy_document`);
      }
    }
  }
  for (const module of config.modules) {
    const value = module.body['policy'];
    if (value !== undefined && (typeof value !== 'string' || !/^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_]+\.json\}$/.test(value))) {
      violations.push(`${module.address}.policy is not an aws_iam_policy_document`);
    }
  }
  return violations;
}

// --- versions ------------------------------------------------------------------------------

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
const REGISTRY_SOURCE = /^[A-Za-z0-9-]+\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+(\/\/.*)?$/;

/** True when a version constraint cannot drift to a new major: exact, `~>`, or with a `<` bound. */
export function hasUpperBound(constraint: string): boolean {
  const parts = constraint.split(',').map((p) => p.trim());
  return parts.some((p) => EXACT_VERSION.test(p) || /^=\s*\d/.test(p) || p.startsWith('~>') || p.startsWith('<'));
}

/** Violations: unbounded terraform or provider constraints; registry modules not pinned exactly. */
export function checkVersions(config: TerraformConfig): string[] {
  const violations: string[] = [];
  const required = config.terraform.map((t) => t['required_version']).filter((v): v is string => typeof v === 'string');
  if (required.length === 0) violations.push('terraform.required_version is not set');
  for (const r of required) if (!hasUpperBound(r)) violations.push(`terraform.required_version "${r}" has no upper bound`);

  const providers = config.terraform.flatMap((t) => objects(t['required_providers']));
  if (providers.length === 0) violations.push('terraform.required_providers is not set');
  for (const byName of providers) {
    for (const [name, spec] of Object.entries(byName)) {
      const version = isObject(spec) ? spec['version'] : spec;
      if (typeof version !== 'string') violations.push(`provider ${name} has no version constraint`);
      else if (!hasUpperBound(version)) violations.push(`provider ${name} version "${version}" has no upper bound`);
    }
  }

  for (const module of config.modules) {
    const source = module.body['source'];
    const version = module.body['version'];
    if (typeof source !== 'string') {
      violations.push(`${module.address} has no source`);
    } else if (REGISTRY_SOURCE.test(source)) {
      if (typeof version !== 'string' || !EXACT_VERSION.test(version)) {
        violations.push(`${module.address} (${source}) is not pinned to an exact version: ${JSON.stringify(version ?? null)}`);
      }
    } else if (/^(git::|github\.com|https?:)/.test(source) && !/[?&]ref=v?\d+\.\d+\.\d+/.test(source)) {
      violations.push(`${module.address} (${source}) is not pinned to a release tag`);
    }
  }
  return violations;
}

// --- variables and outputs -----------------------------------------------------------------

const SECRET_NAME = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;

/** Violations: a variable without type or description, or one that would carry a secret. */
export function checkVariables(config: TerraformConfig): string[] {
  const violations: string[] = [];
  for (const v of config.variables) {
    const type = v.body['type'];
    const description = v.body['description'];
    if (typeof type !== 'string' || type.trim() === '') violations.push(`${v.address} has no type`);
    if (typeof description !== 'string' || description.trim().length < 10) violations.push(`${v.address} has no description`);
    if (SECRET_NAME.test(v.name)) violations.push(`${v.address}: secrets must not be variables`);
    if (v.body['sensitive'] === true) violations.push(`${v.address} is sensitive: secrets must not be variables`);
  }
  for (const key of Object.keys(config.tfvars)) {
    if (!config.variables.some((v) => v.name === key)) violations.push(`tfvars sets undeclared variable ${key}`);
    if (SECRET_NAME.test(key)) violations.push(`tfvars sets ${key}: secrets must not be in tfvars`);
  }
  return violations;
}

/** Violations: an output marked sensitive or whose value reads a password or secret value. */
export function checkOutputs(config: TerraformConfig): string[] {
  const violations: string[] = [];
  for (const o of config.outputs) {
    if (o.body['sensitive'] === true) violations.push(`${o.address} is marked sensitive: outputs must not carry secrets`);
    if (typeof o.body['description'] !== 'string') violations.push(`${o.address} has no description`);
    const value = JSON.stringify(o.body['value'] ?? null);
    if (/password|secret_string|secret_binary|random_password|\.result\b/i.test(value)) {
      violations.push(`${o.address} exposes a secret value: ${value}`);
    }
  }
  return violations;
}

/** Violations: anything that would place a secret value in Terraform state. */
export function checkNoSecretsInState(config: TerraformConfig): string[] {
  const violations: string[] = [];
  for (const r of config.resources) {
    if (/^random_(password|string)$/.test(r.type)) violations.push(`${r.address}: generated secrets are stored in state`);
    if (r.type === 'aws_secretsmanager_secret_version') violations.push(`${r.address}: secret values are stored in state`);
  }
  for (const block of [...config.resources, ...config.modules]) {
    for (const key of ['password', 'master_password', 'master_user_password']) {
      if (block.body[key] !== undefined) violations.push(`${block.address} sets ${key}`);
    }
  }
  return violations;
}

// --- database, bucket, instance ------------------------------------------------------------

/** Violations of the database rules, for terraform-aws-modules/rds or an aws_db_instance. */
export function checkDatabase(db: Block, config: TerraformConfig): string[] {
  const b = db.body;
  const violations: string[] = [];
  const expect = (key: string, value: boolean): void => {
    if (b[key] !== value) violations.push(`${db.address}.${key} must be ${value} (is ${JSON.stringify(b[key] ?? null)})`);
  };
  expect('storage_encrypted', true);
  expect('publicly_accessible', false);
  expect('deletion_protection', true);
  expect('manage_master_user_password', true);
  if (b['password'] !== undefined) violations.push(`${db.address} sets password`);
  if (b['skip_final_snapshot'] === true) violations.push(`${db.address}.skip_final_snapshot must not be true`);
  if (b['engine'] !== 'postgres') violations.push(`${db.address}.engine must be postgres`);
  const versions = possibleStrings(b['engine_version'], config);
  if (versions.length === 0 || !versions.every((v) => /^15(\.\d+)?$/.test(v))) {
    violations.push(`${db.address}.engine_version must be PostgreSQL 15 (is ${JSON.stringify(b['engine_version'] ?? null)})`);
  }
  const retention = possibleNumbers(b['backup_retention_period'], config);
  if (retention.length === 0 || retention.some((d) => d < 7)) {
    violations.push(`${db.address}.backup_retention_period must be at least 7 days (can be ${JSON.stringify(retention)})`);
  }
  return violations;
}

/** Violations of the raw bucket rules, for terraform-aws-modules/s3-bucket. */
export function checkBucket(bucket: Block, config: TerraformConfig): string[] {
  const b = bucket.body;
  const violations: string[] = [];
  for (const key of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
    if (b[key] !== true) violations.push(`${bucket.address}.${key} must be true`);
  }
  if (b['force_destroy'] === true) violations.push(`${bucket.address}.force_destroy must not be true`);

  const versioning = objects(b['versioning'])[0];
  if (!versioning || !(versioning['enabled'] === true || versioning['status'] === 'Enabled' || versioning['status'] === true)) {
    violations.push(`${bucket.address}: versioning must be enabled`);
  }

  const sse = objects(b['server_side_encryption_configuration'])
    .flatMap((c) => objects(c['rule']))
    .flatMap((r) => objects(r['apply_server_side_encryption_by_default']))
    .map((d) => d['sse_algorithm']);
  if (!sse.some((a) => a === 'aws:kms' || a === 'aws:kms:dsse' || a === 'AES256')) {
    violations.push(`${bucket.address}: server-side encryption must be configured`);
  }

  if (!bucketDeniesInsecureTransport(bucket, config)) {
    violations.push(`${bucket.address}: a bucket policy must deny requests with aws:SecureTransport = false`);
  }

  const transitions = objects(b['lifecycle_rule'])
    .filter((r) => r['enabled'] === true)
    .flatMap((r) => objects(r['transition']));
  const classes = new Set(transitions.map((t) => t['storage_class']));
  if (!classes.has('STANDARD_IA') && !classes.has('GLACIER')) {
    violations.push(`${bucket.address}: an enabled lifecycle rule must move objects to STANDARD_IA or GLACIER`);
  }
  for (const t of transitions) {
    const days = possibleNumbers(t['days'], config);
    if (days.length === 0 || days.some((d) => d <= 0)) violations.push(`${bucket.address}: lifecycle transition ${String(t['storage_class'])} has no positive days`);
  }
  return violations;
}

function bucketDeniesInsecureTransport(bucket: Block, config: TerraformConfig): boolean {
  if (bucket.body['attach_deny_insecure_transport_policy'] === true) return true;
  if (bucket.body['attach_policy'] !== true) return false;
  const match = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_]+)\.json\}$/.exec(String(bucket.body['policy'] ?? ''));
  const doc = match?.[1] ? config.data.find((d) => d.address === `data.aws_iam_policy_document.${match[1]}`) : undefined;
  if (!doc) return false;
  return statementsOf(doc).some(
    (s) =>
      s.effect === 'Deny' &&
      s.actions.some((a) => a === 's3:*' || a === '*') &&
      s.resources.some((r) => !r.endsWith('/*')) &&
      s.resources.some((r) => r.endsWith('/*')) &&
      s.conditions.some(
        (c) =>
          c['test'] === 'Bool' &&
          c['variable'] === 'aws:SecureTransport' &&
          JSON.stringify(c['values']) === JSON.stringify(['false']),
      ),
  );
}

/** Violations of the instance rules: IMDSv2 only, encrypted root volume, no public address or SSH key. */
export function checkInstance(instance: Block): string[] {
  const b = instance.body;
  const violations: string[] = [];
  const metadata = objects(b['metadata_options'])[0];
  if (metadata?.['http_tokens'] !== 'required') violations.push(`${instance.address}: metadata_options.http_tokens must be "required" (IMDSv2)`);
  const root = objects(b['root_block_device'])[0];
  if (root?.['encrypted'] !== true) violations.push(`${instance.address}: root_block_device.encrypted must be true`);
  if (b['associate_public_ip_address'] !== false) violations.push(`${instance.address}.associate_public_ip_address must be false`);
  if (b['key_name'] !== undefined) violations.push(`${instance.address} has an SSH key pair (use SSM Session Manager)`);
  return violations;
}
