# Names, addresses and ARNs only: no output carries a secret value.

output "raw_bucket_name" {
  description = "S3 bucket that receives raw order-line CSVs."
  value       = module.raw_bucket.s3_bucket_id
}

output "raw_source_uri" {
  description = "SOURCE_URI the runner reads: every new object under this prefix is loaded."
  value       = "s3://${module.raw_bucket.s3_bucket_id}/${var.raw_prefix}"
}

output "raw_kms_key_arn" {
  description = "KMS key that encrypts the raw bucket; uploaders need kms:GenerateDataKey on it."
  value       = aws_kms_key.this.arn
}

output "database_endpoint" {
  description = "PostgreSQL endpoint (host:port) of the warehouse, reachable from inside the VPC only."
  value       = module.db.db_instance_endpoint
}

output "database_master_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret holding the master credentials (the ARN, not the value)."
  value       = module.db.db_instance_master_user_secret_arn
}

output "metabase_url" {
  description = "URL Metabase is served on."
  value       = local.metabase_url
}

output "metabase_alb_dns_name" {
  description = "DNS name of the Metabase load balancer; point metabase_domain at it when route53_zone_id is not set."
  value       = module.alb.dns_name
}

output "metabase_app_db_secret_arn" {
  description = "ARN of the secret for Metabase's application-database role (value put by infra/deploy/bootstrap-metabase-db.sh)."
  value       = aws_secretsmanager_secret.metabase_app_db.arn
}

output "metabase_reader_secret_arn" {
  description = "ARN of the secret for the read-only insiders_reader role that Metabase queries the warehouse with."
  value       = aws_secretsmanager_secret.metabase_reader.arn
}

output "runner_role_arn" {
  description = "IAM role of the runner instance."
  value       = aws_iam_role.runner.arn
}

output "runner_instance_id" {
  description = "Runner instance id, for `aws ssm start-session --target`."
  value       = aws_instance.this.id
}
