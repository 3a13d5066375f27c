// The AWS deployment is checked statically: no cloud account is reachable from the tests and
// `terraform validate` needs providers that cannot be downloaded offline. Every .tf file is
// parsed and the security rules are asserted on the result; each rule also gets a bad example
// to show that the check would catch it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkBucket,
  checkDatabase,
  checkInstance,
  checkNoSecretsInState,
  checkOutputs,
  checkPoliciesAreDocuments,
  checkPolicyDocuments,
  checkPublicIngress,
  checkVariables,
  checkVersions,
  configFromHcl,
  findBlock,
  findOpenIngress,
  isObject,
  loadConfig,
  objects,
  refersTo,
  statementsOf,
} from './terraform-policy.js';
import type { TerraformConfig } from './terraform-policy.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TF_DIR = path.join(ROOT, 'terraform');
const TEMPLATE = path.join(TF_DIR, 'templates/runner-user-data.sh.tftpl');
const UNIT = path.join(ROOT, 'infra/systemd/insiders-scheduler.service');
const REFRESH_SERVICE = path.join(ROOT, 'infra/systemd/insiders-scheduler-refresh.service');
const REFRESH_TIMER = path.join(ROOT, 'infra/systemd/insiders-scheduler-refresh.timer');
const FETCH_DB_URL = path.join(ROOT, 'infra/deploy/fetch-db-url.sh');
const BOOTSTRAP_METABASE = path.join(ROOT, 'infra/deploy/bootstrap-metabase-db.sh');

let config: TerraformConfig;

before(async () => {
  config = await loadConfig(TF_DIR, path.join(TF_DIR, 'example.tfvars'));
});

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

describe('terraform layout', () => {
  test('the root module has the standard files, each declaring what its name says', () => {
    for (const file of ['versions.tf', 'variables.tf', 'outputs.tf', 'network.tf', 'database.tf', 'storage.tf', 'compute.tf', 'iam.tf', 'metabase.tf']) {
      assert.ok(config.files.includes(file), `${file} is missing`);
    }
    const fileOf = (address: string): string =>
      findBlock([...config.resources, ...config.modules, ...config.data, ...config.variables, ...config.outputs], address).file;
    assert.equal(fileOf('module.vpc'), 'network.tf');
    assert.equal(fileOf('module.db'), 'database.tf');
    assert.equal(fileOf('module.raw_bucket'), 'storage.tf');
    assert.equal(fileOf('aws_instance.this'), 'compute.tf');
    assert.equal(fileOf('aws_iam_role.runner'), 'iam.tf');
    assert.equal(fileOf('aws_ecs_service.this'), 'metabase.tf');
    assert.ok(config.variables.every((v) => v.file === 'variables.tf'), 'variables live in variables.tf');
    assert.ok(config.outputs.every((o) => o.file === 'outputs.tf'), 'outputs live in outputs.tf');
  });
});

describe('versions', () => {
  test('terraform, the aws provider and every module are pinned', () => {
    assert.deepEqual(checkVersions(config), []);
    const pinned = config.modules.map((m) => `${String(m.body['source'])}@${String(m.body['version'])}`);
    for (const prefix of ['terraform-aws-modules/vpc/aws@5.', 'terraform-aws-modules/rds/aws@6.', 'terraform-aws-modules/s3-bucket/aws@4.']) {
      assert.ok(pinned.some((p) => p.startsWith(prefix)), `expected a module ${prefix}x.y, have ${pinned.join(', ')}`);
    }
  });

  test('an unbounded provider or a floating module version is reported', async () => {
    const bad = await configFromHcl(`
      terraform {
        required_version = ">= 1.0"
        required_providers {
          aws = { source = "hashicorp/aws", version = ">= 5.0" }
        }
      }
      module "vpc" {
        source  = "terraform-aws-modules/vpc/aws"
        version = "~> 5.0"
      }
      module "git" {
        source = "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git"
      }
    `);
    const violations = checkVersions(bad);
    assert.equal(violations.length, 4, violations.join('\n'));
    assert.ok(violations.some((v) => v.includes('provider aws')));
    assert.ok(violations.some((v) => v.includes('module.vpc')));
    assert.ok(violations.some((v) => v.includes('module.git')));
  });
});

describe('variables and outputs', () => {
  test('every variable is typed and described, and none carries a secret', () => {
    assert.ok(config.variables.length > 10);
    assert.deepEqual(checkVariables(config), []);
  });

  test('an untyped, undescribed or secret variable is reported', async () => {
    const bad = await configFromHcl(`
      variable "region" {}
      variable "db_password" {
        type        = string
        description = "The master password of the database."
        sensitive   = true
      }
    `);
    const violations = checkVariables(bad);
    assert.ok(violations.includes('var.region has no type'));
    assert.ok(violations.includes('var.region has no description'));
    assert.ok(violations.some((v) => v.startsWith('var.db_password: secrets')));
    assert.ok(violations.some((v) => v.startsWith('var.db_password is sensitive')));
  });

  test('the outputs name the bucket, the database, Metabase and the runner role, and no secret value', () => {
    const names = config.outputs.map((o) => o.name);
    for (const name of ['raw_bucket_name', 'database_endpoint', 'metabase_url', 'runner_role_arn']) {
      assert.ok(names.includes(name), `output ${name} is missing`);
    }
    assert.deepEqual(checkOutputs(config), []);
    assert.ok(refersTo(findBlock(config.outputs, 'output.runner_role_arn').body['value'], 'aws_iam_role.runner.arn'));
  });

  test('a sensitive output or one reading a password is reported', async () => {
    const bad = await configFromHcl(`
      output "db_password" {
        description = "The password."
        value       = aws_db_instance.this.password
        sensitive   = true
      }
    `);
    assert.equal(checkOutputs(bad).length, 2);
  });

  test('no secret value is generated into, or written through, Terraform state', async () => {
    assert.deepEqual(checkNoSecretsInState(config), []);
    const bad = await configFromHcl(`
      resource "random_password" "db" {
        length = 32
      }
      resource "aws_secretsmanager_secret_version" "db" {
        secret_id     = aws_secretsmanager_secret.db.id
        secret_string = random_password.db.result
      }
    `);
    assert.equal(checkNoSecretsInState(bad).length, 2);
  });
});

describe('network', () => {
  test('only the load balancer takes traffic from the internet, on 80 and 443', () => {
    assert.deepEqual(checkPublicIngress(config), []);
    // The check must see the load balancer's own open rules, or it proves nothing.
    const alb = findOpenIngress(config).filter((f) => f.address === 'module.alb');
    assert.deepEqual(
      alb.map((f) => f.ports?.map((p) => p.from)).flat().sort((a, b) => (a ?? 0) - (b ?? 0)),
      [80, 443],
    );
  });

  test('open ingress anywhere else, or on another port, is reported', async () => {
    const bad = await configFromHcl(`
      resource "aws_security_group" "runner" {
        ingress {
          from_port   = 22
          to_port     = 22
          protocol    = "tcp"
          cidr_blocks = ["0.0.0.0/0"]
        }
        egress {
          from_port   = 0
          to_port     = 0
          protocol    = "-1"
          cidr_blocks = ["0.0.0.0/0"]
        }
      }
      module "db_sg" {
        source              = "terraform-aws-modules/security-group/aws"
        version             = "5.2.0"
        ingress_cidr_blocks = ["0.0.0.0/0"]
        ingress_rules       = ["postgresql-tcp"]
      }
      resource "aws_vpc_security_group_ingress_rule" "v6" {
        security_group_id = aws_security_group.runner.id
        from_port         = 443
        to_port           = 443
        ip_protocol       = "tcp"
        cidr_ipv6         = "::/0"
      }
      module "alb" {
        source  = "terraform-aws-modules/alb/aws"
        version = "9.9.2"
        security_group_ingress_rules = {
          ssh = { from_port = 22, to_port = 22, ip_protocol = "tcp", cidr_ipv4 = "0.0.0.0/0" }
          https = { from_port = 443, to_port = 443, ip_protocol = "tcp", cidr_ipv4 = "0.0.0.0/0" }
        }
      }
    `);
    const violations = checkPublicIngress(bad);
    assert.deepEqual(violations.sort(), [
      'aws_security_group.runner ingress.0.cidr_blocks.0: ingress from 0.0.0.0/0 on 22',
      'aws_vpc_security_group_ingress_rule.v6 cidr_ipv6: ingress from ::/0 on 443',
      'module.alb security_group_ingress_rules.ssh.cidr_ipv4: ingress from 0.0.0.0/0 on 22',
      'module.db_sg ingress_cidr_blocks.0: ingress from 0.0.0.0/0 on 5432',
    ]);
  });

  test('the runner has no ingress rule at all; the database admits 5432 from the runner and Metabase only', () => {
    const runnerSg = findBlock(config.modules, 'module.runner_sg');
    assert.deepEqual(Object.keys(runnerSg.body).filter((k) => /ingress/i.test(k)), []);

    const dbSg = findBlock(config.modules, 'module.db_sg');
    assert.deepEqual(Object.keys(dbSg.body).filter((k) => /ingress/i.test(k)), ['ingress_with_source_security_group_id']);
    const rules = objects(dbSg.body['ingress_with_source_security_group_id']);
    assert.deepEqual(rules.map((r) => r['rule']), ['postgresql-tcp', 'postgresql-tcp']);
    assert.deepEqual(rules.map((r) => r['source_security_group_id']).sort(), [
      '${module.metabase_sg.security_group_id}',
      '${module.runner_sg.security_group_id}',
    ]);
    assert.deepEqual(findBlock(config.modules, 'module.db').body['vpc_security_group_ids'], ['${module.db_sg.security_group_id}']);
  });

  test('the runner and Metabase sit in private subnets, the load balancer in public ones', () => {
    assert.ok(refersTo(findBlock(config.resources, 'aws_instance.this').body['subnet_id'], 'module.vpc.private_subnets'));
    const network = objects(findBlock(config.resources, 'aws_ecs_service.this').body['network_configuration'])[0];
    assert.equal(network?.['assign_public_ip'], false);
    assert.equal(network?.['subnets'], '${module.vpc.private_subnets}');
    assert.equal(findBlock(config.modules, 'module.alb').body['subnets'], '${module.vpc.public_subnets}');
    const vpc = findBlock(config.modules, 'module.vpc').body;
    assert.equal(vpc['enable_nat_gateway'], true);
    assert.equal(findBlock(config.modules, 'module.db').body['db_subnet_group_name'], '${module.vpc.database_subnet_group_name}');
  });

  test('HTTP on the load balancer only redirects to HTTPS, which uses the ACM certificate variable', () => {
    const listeners = findBlock(config.modules, 'module.alb').body['listeners'];
    assert.ok(isObject(listeners));
    const http = objects(listeners['http'])[0];
    const https = objects(listeners['https'])[0];
    assert.deepEqual(http?.['redirect'], { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' });
    assert.equal(http?.['forward'], undefined);
    assert.equal(https?.['protocol'], 'HTTPS');
    assert.equal(https?.['certificate_arn'], '${var.metabase_certificate_arn}');
  });
});

describe('database', () => {
  test('RDS PostgreSQL 15 is encrypted, private, protected, backed up and has an RDS-managed password', () => {
    const db = findBlock(config.modules, 'module.db');
    assert.deepEqual(checkDatabase(db, config), []);
    assert.equal(db.body['family'], 'postgres15');
  });

  test('a database that breaks the rules is reported', async () => {
    const bad = await configFromHcl(`
      variable "retention" {
        type        = number
        description = "Days of backups to keep."
        default     = 1
      }
      resource "aws_db_instance" "this" {
        engine                  = "postgres"
        engine_version          = "16.3"
        storage_encrypted       = false
        publicly_accessible     = true
        deletion_protection     = false
        backup_retention_period = var.retention
        username                = "admin"
        password                = "hunter2hunter2"
      }
    `);
    const violations = checkDatabase(findBlock(bad.resources, 'aws_db_instance.this'), bad);
    for (const expected of ['storage_encrypted', 'publicly_accessible', 'deletion_protection', 'manage_master_user_password', 'sets password', 'engine_version', 'backup_retention_period']) {
      assert.ok(violations.some((v) => v.includes(expected)), `expected a violation about ${expected}: ${violations.join('\n')}`);
    }
  });
});

describe('raw bucket', () => {
  test('versioned, encrypted, not public, TLS only, with a lifecycle rule', () => {
    const bucket = findBlock(config.modules, 'module.raw_bucket');
    assert.deepEqual(checkBucket(bucket, config), []);
    const transitions = objects(objects(bucket.body['lifecycle_rule'])[0]?.['transition']);
    assert.deepEqual(transitions.map((t) => t['days']), ['${var.raw_transition_ia_days}', '${var.raw_transition_glacier_days}']);
  });

  test('a bucket that breaks the rules is reported', async () => {
    const bad = await configFromHcl(`
      data "aws_iam_policy_document" "allow_http" {
        statement {
          effect    = "Deny"
          actions   = ["s3:DeleteBucket"]
          resources = ["arn:aws:s3:::raw"]
        }
      }
      module "raw" {
        source                  = "terraform-aws-modules/s3-bucket/aws"
        version                 = "4.6.0"
        block_public_acls       = true
        block_public_policy     = false
        ignore_public_acls      = true
        restrict_public_buckets = true
        attach_policy           = true
        policy                  = data.aws_iam_policy_document.allow_http.json
        versioning              = { enabled = false }
      }
    `);
    const violations = checkBucket(findBlock(bad.modules, 'module.raw'), bad);
    for (const expected of ['block_public_policy', 'versioning', 'encryption', 'SecureTransport', 'lifecycle']) {
      assert.ok(violations.some((v) => v.includes(expected)), `expected a violation about ${expected}: ${violations.join('\n')}`);
    }
  });
});

describe('runner instance', () => {
  test('IMDSv2 only, encrypted root volume, no public address, no SSH key', () => {
    const instance = findBlock(config.resources, 'aws_instance.this');
    assert.deepEqual(checkInstance(instance), []);
    assert.equal(instance.body['iam_instance_profile'], '${aws_iam_instance_profile.this.name}');
    assert.equal(findBlock(config.resources, 'aws_iam_instance_profile.this').body['role'], '${aws_iam_role.runner.name}');
  });

  test('an instance with optional IMDS tokens and a plain root volume is reported', async () => {
    const bad = await configFromHcl(`
      resource "aws_instance" "this" {
        key_name = "ops"
        metadata_options {
          http_tokens = "optional"
        }
        root_block_device {
          encrypted = false
        }
      }
    `);
    assert.equal(checkInstance(findBlock(bad.resources, 'aws_instance.this')).length, 4);
  });
});

describe('IAM', () => {
  test('every policy is a policy document, and none grants a write action on "*" or a wildcard action', () => {
    assert.deepEqual(checkPoliciesAreDocuments(config), []);
    assert.deepEqual(checkPolicyDocuments(config), []);
  });

  test('a wildcard grant or an inline JSON policy is reported', async () => {
    const bad = await configFromHcl(`
      data "aws_iam_policy_document" "bad" {
        statement {
          actions   = ["s3:PutObject", "s3:GetObject"]
          resources = ["*"]
        }
        statement {
          actions   = ["secretsmanager:*"]
          resources = ["arn:aws:secretsmanager:eu-west-1:1:secret:x"]
        }
        statement {
          effect    = "Deny"
          actions   = ["*"]
          resources = ["*"]
        }
      }
      resource "aws_iam_role_policy" "inline" {
        role   = "r"
        policy = jsonencode({ Statement = [] })
      }
    `);
    assert.deepEqual(checkPolicyDocuments(bad), [
      'data.aws_iam_policy_document.bad statement #0: write action s3:PutObject on resource "*"',
      'data.aws_iam_policy_document.bad statement #1: wildcard action secretsmanager:*',
    ]);
    assert.deepEqual(checkPoliciesAreDocuments(bad), ['aws_iam_role_policy.inline.policy is not an aws_iam_policy_document']);
  });

  test('the runner may read the raw bucket and the database secret, and write only its own logs', () => {
    const inline = config.resources.filter((r) => r.type === 'aws_iam_role_policy' && refersTo(r.body['role'], 'aws_iam_role.runner.'));
    assert.equal(inline.length, 1, 'one inline policy on the runner role');
    assert.equal(inline[0]?.body['policy'], '${data.aws_iam_policy_document.runner.json}');

    const attached = config.resources.filter((r) => r.type === 'aws_iam_role_policy_attachment' && refersTo(r.body['role'], 'aws_iam_role.runner.'));
    assert.equal(attached.length, 1, 'one managed policy on the runner role');
    assert.match(String(attached[0]?.body['policy_arn']), /:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
    assert.ok(!config.resources.some((r) => r.type === 'aws_iam_policy'), 'no standalone policies that could be attached elsewhere');

    // Each action, and exactly the resources it may touch.
    const expected: Record<string, string[]> = {
      's3:ListBucket': ['${module.raw_bucket.s3_bucket_arn}'],
      's3:GetObject': ['${module.raw_bucket.s3_bucket_arn}/*'],
      'kms:Decrypt': ['${aws_kms_key.this.arn}'],
      'secretsmanager:GetSecretValue': ['${module.db.db_instance_master_user_secret_arn}'],
      'logs:CreateLogStream': ['${aws_cloudwatch_log_group.runner.arn}:*'],
      'logs:DescribeLogStreams': ['${aws_cloudwatch_log_group.runner.arn}:*'],
      'logs:PutLogEvents': ['${aws_cloudwatch_log_group.runner.arn}:*'],
    };
    const granted: Record<string, string[]> = {};
    for (const s of statementsOf(findBlock(config.data, 'data.aws_iam_policy_document.runner'))) {
      assert.equal(s.effect, 'Allow');
      for (const action of s.actions) granted[action] = [...(granted[action] ?? []), ...s.resources];
    }
    assert.deepEqual(granted, expected);
  });

  test('Metabase tasks may read only their own secret and write only their own logs', () => {
    const actions = statementsOf(findBlock(config.data, 'data.aws_iam_policy_document.metabase_execution')).flatMap((s) =>
      s.actions.map((a) => `${a} ${s.resources.join(' ')}`),
    );
    assert.deepEqual(actions.sort(), [
      'logs:CreateLogStream ${aws_cloudwatch_log_group.metabase.arn}:*',
      'logs:PutLogEvents ${aws_cloudwatch_log_group.metabase.arn}:*',
      'secretsmanager:GetSecretValue ${aws_secretsmanager_secret.metabase_app_db.arn}',
    ]);
  });
});

describe('Metabase', () => {
  test('the official image at a pinned version, its credentials injected from Secrets Manager', () => {
    const tag = findBlock(config.variables, 'var.metabase_image_tag').body['default'];
    assert.match(String(tag), /^v0\.\d+\.\d+$/);
    const definitions = String(findBlock(config.resources, 'aws_ecs_task_definition.this').body['container_definitions']);
    assert.ok(definitions.includes('metabase/metabase:${var.metabase_image_tag}'));
    for (const name of ['MB_DB_USER', 'MB_DB_PASS', 'MB_ENCRYPTION_SECRET_KEY']) {
      assert.match(definitions, new RegExp(`name\\s*=\\s*"${name}",\\s*valueFrom\\s*=\\s*"\\$\\{aws_secretsmanager_secret\\.metabase_app_db\\.arn\\}:`));
    }
    assert.doesNotMatch(definitions, /MB_DB_PASS"\s*,\s*value\s*=/, 'the password is never a plain environment value');
  });
});

describe('runner user data', () => {
  let template = '';
  before(async () => {
    template = await readFile(TEMPLATE, 'utf8');
  });

  test('the template and the templatefile() call agree on every variable name', () => {
    const vars = config.locals['runner_user_data_vars'];
    assert.ok(isObject(vars));
    assert.ok(refersTo(findBlock(config.resources, 'aws_instance.this').body['user_data'], 'templatefile('));
    assert.ok(refersTo(findBlock(config.resources, 'aws_instance.this').body['user_data'], 'local.runner_user_data_vars'));
    // Any ${...} not escaped as $${...} is a Terraform interpolation and must be a passed name.
    const used = new Set<string>();
    for (const match of template.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) {
      const name = match[1] ?? '';
      assert.match(name, /^[a-z_][a-z0-9_]*$/, `template interpolation \${${name}} must be a plain variable name`);
      used.add(name);
    }
    assert.deepEqual([...used].sort(), Object.keys(vars).sort());
    assert.doesNotMatch(template, /(?<!%)%\{/, 'no template directives: the script stays plain bash');
  });

  test('the rendered script is valid bash', (t) => {
    if (!hasCommand('bash')) {
      t.skip('bash is not installed');
      return;
    }
    const rendered = template.replace(/(?<!\$)\$\{([a-z_][a-z0-9_]*)\}/g, (_m, name: string) => `sample-${name}`).replaceAll('$${', '${');
    const result = spawnSync('bash', ['-n'], { input: rendered, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  test('it installs Node 20 and the project, writes the environment, and installs the unit and log shipping', () => {
    assert.match(template, /https:\/\/nodejs\.org\/dist\/v\$NODE_VERSION\//);
    assert.match(template, /sha256sum --check/);
    assert.match(template, /git clone [^\n]*'\$\{repo_url\}'/);
    assert.match(template, /checkout [^\n]*'\$\{git_ref\}'/);
    assert.match(template, /npm ci/);
    assert.match(template, /^SOURCE_URI='\$\{source_uri\}'$/m);
    assert.match(template, /^DB_SECRET_ARN='\$\{db_secret_arn\}'$/m);
    assert.doesNotMatch(template, /^DATABASE_URL=/m, 'the password is never written at boot');
    assert.match(template, /infra\/systemd\/insiders-scheduler\.service" \/etc\/systemd\/system\//);
    assert.match(template, /systemctl enable --now insiders-scheduler\.service/);
    assert.match(template, /amazon-cloudwatch-agent-ctl -a fetch-config/);
    assert.match(template, /"file_path": "\/var\/log\/insiders\/scheduler\.log"/);
    assert.match(template, /"log_group_name": "\$\{log_group_name\}"/);
    const vars = config.locals['runner_user_data_vars'];
    assert.ok(isObject(vars));
    assert.equal(vars['source_uri'], 's3://${module.raw_bucket.s3_bucket_id}/${var.raw_prefix}');
    assert.equal(vars['db_secret_arn'], '${module.db.db_instance_master_user_secret_arn}');
  });
});

/** Reads a unit file into key → values (keys repeat, e.g. EnvironmentFile). */
function parseUnit(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) entries.set(match[1], [...(entries.get(match[1]) ?? []), match[2]]);
  }
  return entries;
}

/** systemd time span to seconds ("1h", "45min", "30s", "600"). */
function seconds(span: string): number {
  const units: Record<string, number> = { '': 1, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600 };
  let total = 0;
  for (const match of span.matchAll(/(\d+)\s*([a-z]*)/g)) {
    const factor = units[match[2] ?? ''];
    if (factor === undefined) throw new Error(`unknown time unit in ${span}`);
    total += Number(match[1]) * factor;
  }
  return total;
}

describe('scheduler unit', () => {
  test('runs `npx insiders schedule` unprivileged, restarts on failure and drains on SIGTERM', async () => {
    const unit = parseUnit(await readFile(UNIT, 'utf8'));
    const one = (key: string): string => {
      const values = unit.get(key) ?? [];
      assert.equal(values.length, 1, `${key}= must appear once`);
      return values[0] ?? '';
    };
    assert.equal(one('User'), 'insiders');
    assert.equal(one('WorkingDirectory'), '/opt/insiders');
    assert.match(one('ExecStart'), /^\/usr\/local\/bin\/npx (--no )?insiders schedule$/);
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('KillSignal'), 'SIGTERM');
    assert.ok(seconds(one('TimeoutStopSec')) >= 600, 'TimeoutStopSec leaves time to drain a run');
    assert.equal(one('WantedBy'), 'multi-user.target');

    const envFiles = (unit.get('EnvironmentFile') ?? []).map((f) => f.replace(/^-/, ''));
    assert.ok(envFiles.includes('/etc/insiders/insiders.env'));
    // ExecStartPre writes DATABASE_URL into a file the unit reads as an EnvironmentFile.
    const pre = one('ExecStartPre');
    assert.match(pre, /infra\/deploy\/fetch-db-url\.sh /);
    const written = pre.split(' ').at(-1) ?? '';
    assert.ok(envFiles.includes(written), `${written} must be an EnvironmentFile`);
  });

  test('the refresh timer restarts the scheduler before the 02:00 UTC run', async () => {
    const timer = parseUnit(await readFile(REFRESH_TIMER, 'utf8'));
    assert.deepEqual(timer.get('OnCalendar'), ['*-*-* 01:30:00 UTC']);
    const service = parseUnit(await readFile(REFRESH_SERVICE, 'utf8'));
    assert.deepEqual(service.get('ExecStart'), ['/usr/bin/systemctl try-restart insiders-scheduler.service']);
    assert.match(await readFile(TEMPLATE, 'utf8'), /systemctl enable --now [^\n]*insiders-scheduler-refresh\.timer/);
  });

  test('systemd-analyze accepts the units', async (t) => {
    if (!hasCommand('systemd-analyze')) {
      t.skip('systemd-analyze is not installed');
      return;
    }
    // Programs that exist only on the runner (npx under /usr/local/bin) are not errors here.
    const problems = (files: string[]): string[] => {
      const result = spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8' });
      return `${result.stdout}\n${result.stderr}`
        .split('\n')
        .filter((line) => line.trim() !== '' && !/Command \/usr\/local\/bin\/\S+ is not executable/.test(line));
    };
    assert.deepEqual(problems([UNIT, REFRESH_SERVICE, REFRESH_TIMER]), []);

    const dir = await mkdtemp(path.join(tmpdir(), 'insiders-unit-'));
    try {
      const broken = path.join(dir, 'broken.service');
      await writeFile(broken, '[Service]\nExecStart=/bin/true\nKilSignal=SIGTERM\n');
      assert.equal(problems([broken]).length, 1, 'a misspelt key is reported');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy scripts', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'insiders-deploy-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the scripts are valid bash', () => {
    for (const script of [FETCH_DB_URL, BOOTSTRAP_METABASE]) {
      const result = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${script}: ${result.stderr}`);
    }
  });

  test('fetch-db-url.sh turns the secret into a URL that keeps every password character', async (t) => {
    if (!hasCommand('jq')) {
      t.skip('jq is not installed');
      return;
    }
    const password = `p:a@s/s#w?o%rd&x=1'q!(*) ~"`;
    const aws = path.join(dir, 'aws');
    // A stand-in for the AWS CLI: prints the secret given in the environment, or fails.
    await writeFile(aws, '#!/bin/sh\n[ -n "$FAKE_SECRET" ] || { echo "AccessDenied" >&2; exit 255; }\nprintf "%s\\n" "$FAKE_SECRET"\n');
    await chmod(aws, 0o755);
    const env = {
      ...process.env,
      PATH: `${dir}:${process.env['PATH'] ?? ''}`,
      FAKE_SECRET: JSON.stringify({ username: 'insiders_admin', password }),
      DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1',
      DB_HOST: 'insiders.abc.eu-west-1.rds.amazonaws.com',
      DB_NAME: 'insiders',
      DB_CA_FILE: '/etc/insiders/rds-ca.pem',
      DB_SECRET_ATTEMPTS: '1',
    };

    const printed = spawnSync('bash', [FETCH_DB_URL], { env, encoding: 'utf8' });
    assert.equal(printed.status, 0, printed.stderr);
    const url = new URL(printed.stdout.trim());
    assert.equal(decodeURIComponent(url.username), 'insiders_admin');
    assert.equal(decodeURIComponent(url.password), password);
    assert.equal(url.host, 'insiders.abc.eu-west-1.rds.amazonaws.com:5432');
    assert.equal(url.pathname, '/insiders');
    assert.equal(url.searchParams.get('sslmode'), 'verify-full');
    assert.equal(url.searchParams.get('sslrootcert'), '/etc/insiders/rds-ca.pem');

    // File mode: private, and a shell reading it gets the same URL back.
    const file = path.join(dir, 'database.env');
    const written = spawnSync('bash', [FETCH_DB_URL, file], { env, encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const sourced = spawnSync('bash', ['-c', 'set -a; . "$1"; printf %s "$DATABASE_URL"', '_', file], { encoding: 'utf8' });
    assert.equal(sourced.stdout, printed.stdout.trim());

    const denied = spawnSync('bash', [FETCH_DB_URL], { env: { ...env, FAKE_SECRET: '' }, encoding: 'utf8' });
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /cannot read secret arn:aws:secretsmanager/);
    const incomplete = spawnSync('bash', [FETCH_DB_URL], { env: { ...env, FAKE_SECRET: '{"username":"x"}' }, encoding: 'utf8' });
    assert.notEqual(incomplete.status, 0);
    assert.match(incomplete.stderr, /not JSON with username and password/);
  });
});

describe('terraform fmt', () => {
  test('terraform fmt -check -recursive terraform passes', (t) => {
    const result = spawnSync('terraform', ['fmt', '-check', '-recursive', 'terraform'], { cwd: ROOT, encoding: 'utf8' });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      t.skip('terraform is not on PATH; run `terraform fmt -check -recursive terraform` where it is installed');
      return;
    }
    assert.equal(result.status, 0, `files needing terraform fmt:\n${result.stdout}`);
  });
});
