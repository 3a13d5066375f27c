# The warehouse. It also hosts Metabase's own application database (`metabase`), created by
# infra/deploy/bootstrap-metabase-db.sh, so there is one instance to back up and patch.
module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"

  identifier = var.name

  engine               = "postgres"
  engine_version       = var.db_engine_version
  family               = "postgres15"
  major_engine_version = "15"
  instance_class       = var.db_instance_class

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = local.db_name
  username = "insiders_admin"
  port     = local.db_port

  # RDS generates the master password and keeps it in a Secrets Manager secret it owns:
  # the password never appears in variables, tfvars, plans, state or outputs.
  manage_master_user_password = true
  # Rotation on a fixed weekly window, far from the 02:00 UTC run; the runner's daily
  # scheduler restart (01:30 UTC) picks up the new password before the next run.
  manage_master_user_password_rotation              = true
  master_user_password_rotate_immediately           = false
  master_user_password_rotation_schedule_expression = var.db_rotation_schedule
  master_user_password_rotation_duration            = "2h"

  multi_az               = var.db_multi_az
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [module.db_sg.security_group_id]
  publicly_accessible    = false

  backup_retention_period = var.db_backup_retention_days
  # After the 02:00 UTC run, and apart from each other as RDS requires.
  backup_window         = "03:30-04:15"
  maintenance_window    = "sun:05:00-sun:06:00"
  copy_tags_to_snapshot = true
  deletion_protection   = true
  skip_final_snapshot   = false
  # Keep automated backups after a deletion so a mistaken destroy can still be restored.
  delete_automated_backups = false

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false

  performance_insights_enabled          = true
  performance_insights_retention_period = 7
  create_monitoring_role                = true
  monitoring_interval                   = 60
  monitoring_role_name                  = "${var.name}-rds-monitoring"

  enabled_cloudwatch_logs_exports        = ["postgresql", "upgrade"]
  create_cloudwatch_log_group            = true
  cloudwatch_log_group_retention_in_days = var.log_retention_days

  parameters = [
    # Clients must use TLS; the runner verifies the server against the RDS CA bundle.
    { name = "rds.force_ssl", value = "1" },
    # Statements slower than 5 s land in the exported PostgreSQL log.
    { name = "log_min_duration_statement", value = "5000" },
  ]
}
