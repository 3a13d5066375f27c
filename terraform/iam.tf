# Every policy here is an aws_iam_policy_document so that tests/unit/terraform.test.ts can
# read each statement; none grants a write action on "*".

# --- runner ------------------------------------------------------------------------------

data "aws_iam_policy_document" "runner_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "runner" {
  name               = "${var.name}-runner"
  description        = "Insiders runner: read raw files and the database secret, write its own logs"
  assume_role_policy = data.aws_iam_policy_document.runner_assume.json
}

# Session Manager replaces SSH: no key pairs, no inbound port, every session audited.
resource "aws_iam_role_policy_attachment" "runner_ssm" {
  role       = aws_iam_role.runner.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "runner" {
  statement {
    sid       = "ListRawBucket"
    actions   = ["s3:ListBucket"]
    resources = [module.raw_bucket.s3_bucket_arn]
  }

  statement {
    sid       = "ReadRawObjects"
    actions   = ["s3:GetObject"]
    resources = ["${module.raw_bucket.s3_bucket_arn}/*"]
  }

  # Raw objects are encrypted with the bucket's key; reading them means decrypting through S3.
  statement {
    sid       = "DecryptRawObjects"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [module.db.db_instance_master_user_secret_arn]
  }

  statement {
    sid = "WriteOwnLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = ["${aws_cloudwatch_log_group.runner.arn}:*"]
  }
}

resource "aws_iam_role_policy" "runner" {
  name   = "insiders-runner"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.runner.json
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-runner"
  role = aws_iam_role.runner.name
}

# --- metabase (ECS task execution) -------------------------------------------------------
# The execution role is what ECS uses to start the task: write its log group and read the
# one secret injected into the container. The image comes from Docker Hub, so no ECR access.
# The container itself gets no task role: Metabase calls no AWS API.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "metabase_execution" {
  name               = "${var.name}-metabase-execution"
  description        = "Starts the Metabase task: its logs and its application-database secret"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "metabase_execution" {
  statement {
    sid       = "ReadMetabaseAppDbSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.metabase_app_db.arn]
  }

  statement {
    sid = "WriteMetabaseLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${aws_cloudwatch_log_group.metabase.arn}:*"]
  }
}

resource "aws_iam_role_policy" "metabase_execution" {
  name   = "insiders-metabase-execution"
  role   = aws_iam_role.metabase_execution.id
  policy = data.aws_iam_policy_document.metabase_execution.json
}
