# Example settings; copy, adjust and pass with -var-file. No secrets belong here.
aws_region = "eu-west-1"
name       = "insiders"

app_repo_url = "https://github.com/example-retailer/insiders.git"
app_git_ref  = "v1.0.0"

metabase_domain          = "insights.example.com"
metabase_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
route53_zone_id          = null

db_instance_class        = "db.t4g.medium"
db_multi_az              = true
db_backup_retention_days = 14

raw_prefix                  = "orders/"
raw_transition_ia_days      = 30
raw_transition_glacier_days = 180

tags = {
  Environment = "production"
  Owner       = "data-engineering"
}
