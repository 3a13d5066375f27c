provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(
      {
        Project   = "insiders"
        ManagedBy = "terraform"
      },
      var.tags,
    )
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  # Two AZs at least: an RDS subnet group must span two, even for a single-AZ instance.
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # Bucket names are global; the account id keeps the default unique without asking for one.
  raw_bucket_name = coalesce(var.raw_bucket_name, "${var.name}-raw-${data.aws_caller_identity.current.account_id}")
  raw_bucket_arn  = "arn:${data.aws_partition.current.partition}:s3:::${local.raw_bucket_name}"

  db_name = "insiders"
  db_port = 5432

  metabase_url = "https://${var.metabase_domain}"
}
