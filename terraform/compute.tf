# The runner: one small instance whose only job is the long-lived `npx insiders schedule`
# process (cron daemon, 02:00 UTC). It has no inbound rule, no public address and no SSH key.

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-kernel-*-x86_64"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

resource "aws_cloudwatch_log_group" "runner" {
  name              = "/${var.name}/runner"
  retention_in_days = var.log_retention_days
}

locals {
  # Every value the user-data template reads. Kept here, not inline in templatefile(), so the
  # unit tests can check that template and call agree on the names.
  runner_user_data_vars = {
    aws_region     = var.aws_region
    repo_url       = var.app_repo_url
    git_ref        = var.app_git_ref
    node_version   = var.runner_node_version
    source_uri     = "s3://${module.raw_bucket.s3_bucket_id}/${var.raw_prefix}"
    db_secret_arn  = module.db.db_instance_master_user_secret_arn
    db_host        = module.db.db_instance_address
    db_port        = local.db_port
    db_name        = local.db_name
    log_group_name = aws_cloudwatch_log_group.runner.name
    metabase_url   = local.metabase_url
  }
}

resource "aws_instance" "this" {
  ami                         = coalesce(var.runner_ami_id, data.aws_ami.al2023.id)
  instance_type               = var.runner_instance_type
  subnet_id                   = module.vpc.private_subnets[0]
  vpc_security_group_ids      = [module.runner_sg.security_group_id]
  iam_instance_profile        = aws_iam_instance_profile.this.name
  associate_public_ip_address = false
  ebs_optimized               = true

  # A new git ref means a new instance built from scratch: deploys and rollbacks are the same
  # operation, and no instance carries state that Terraform does not describe.
  user_data                   = templatefile("${path.module}/templates/runner-user-data.sh.tftpl", local.runner_user_data_vars)
  user_data_replace_on_change = true

  # IMDSv2 only, one hop: a token is required and cannot be fetched from inside a container.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted             = true
    volume_type           = "gp3"
    volume_size           = var.runner_root_volume_size
    delete_on_termination = true
  }

  tags = {
    Name = "${var.name}-runner"
  }

  # The permissions must exist before the boot script reads the secret and ships logs.
  depends_on = [
    aws_iam_role_policy.runner,
    aws_iam_role_policy_attachment.runner_ssm,
  ]

  lifecycle {
    # A newer Amazon Linux image alone should not replace a working runner.
    ignore_changes = [ami]
  }
}
