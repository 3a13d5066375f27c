# Metabase on ECS Fargate behind an HTTPS load balancer. Its application database is the
# `metabase` database in the warehouse's RDS instance; dashboards read the warehouse through
# the read-only `insiders_reader` role.

# --- secrets ---------------------------------------------------------------------------
# Why Terraform creates these secrets without a value: a `random_password` (or any
# `aws_secretsmanager_secret_version`) would copy the password into Terraform state, which is
# readable by whoever can read the state bucket. `manage_master_user_password` avoids that for
# the master user only, so for the two Metabase roles Terraform creates the empty containers
# and infra/deploy/bootstrap-metabase-db.sh generates each password once, puts it with
# `aws secretsmanager put-secret-value` and sets it on the role. No rotation is configured:
# Metabase reads its credentials once at start, and both roles are confined (one database,
# read-only) so a long-lived password is an accepted trade-off.

resource "aws_secretsmanager_secret" "metabase_app_db" {
  name                    = "${var.name}/metabase/app-db"
  description             = "Metabase application database: JSON {username, password, encryption_key}; value put by infra/deploy/bootstrap-metabase-db.sh"
  recovery_window_in_days = 7
}

# The read-only role Metabase queries the warehouse with. The role itself (LOGIN, SELECT on
# the marts schema) is created by the project's migrations; only its password lives here.
# It is entered once in Metabase (Admin > Databases), which stores it encrypted with the
# encryption_key above.
resource "aws_secretsmanager_secret" "metabase_reader" {
  name                    = "${var.name}/metabase/insiders-reader"
  description             = "Warehouse read-only role insiders_reader: JSON {username, password}; value put by infra/deploy/bootstrap-metabase-db.sh"
  recovery_window_in_days = 7
}

# --- load balancer ---------------------------------------------------------------------

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "9.9.2"

  name    = "${var.name}-metabase"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  enable_deletion_protection = true
  drop_invalid_header_fields = true

  # The only ingress from the internet in this configuration.
  security_group_ingress_rules = {
    http = {
      from_port   = 80
      to_port     = 80
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
      description = "HTTP, answered with a redirect to HTTPS"
    }
    https = {
      from_port   = 443
      to_port     = 443
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
      description = "HTTPS to Metabase"
    }
  }
  security_group_egress_rules = {
    metabase = {
      from_port                    = 3000
      to_port                      = 3000
      ip_protocol                  = "tcp"
      referenced_security_group_id = module.metabase_sg.security_group_id
      description                  = "Metabase tasks"
    }
  }

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      redirect = {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
    https = {
      port            = 443
      protocol        = "HTTPS"
      ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
      certificate_arn = var.metabase_certificate_arn
      forward = {
        target_group_key = "metabase"
      }
    }
  }

  target_groups = {
    metabase = {
      name_prefix = "mb-"
      protocol    = "HTTP"
      port        = 3000
      target_type = "ip"
      # ECS registers the task IPs itself.
      create_attachment    = false
      deregistration_delay = 30
      health_check = {
        enabled             = true
        path                = "/api/health"
        matcher             = "200"
        interval            = 30
        timeout             = 5
        healthy_threshold   = 2
        unhealthy_threshold = 5
      }
    }
  }
}

resource "aws_route53_record" "this" {
  count = var.route53_zone_id == null ? 0 : 1

  zone_id = var.route53_zone_id
  name    = var.metabase_domain
  type    = "A"

  alias {
    name                   = module.alb.dns_name
    zone_id                = module.alb.zone_id
    evaluate_target_health = true
  }
}

# --- ECS -------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "metabase" {
  name              = "/${var.name}/metabase"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = "${var.name}-metabase"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.metabase_cpu
  memory                   = var.metabase_memory
  execution_role_arn       = aws_iam_role.metabase_execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "metabase"
      image     = "metabase/metabase:${var.metabase_image_tag}"
      essential = true
      portMappings = [
        { containerPort = 3000, protocol = "tcp" },
      ]
      environment = [
        { name = "MB_DB_TYPE", value = "postgres" },
        # The PostgreSQL JDBC driver negotiates TLS by default and rds.force_ssl refuses any
        # connection without it. User and password come from the secret below.
        { name = "MB_DB_HOST", value = module.db.db_instance_address },
        { name = "MB_DB_PORT", value = tostring(local.db_port) },
        { name = "MB_DB_DBNAME", value = "metabase" },
        { name = "MB_SITE_URL", value = local.metabase_url },
        { name = "MB_ANON_TRACKING_ENABLED", value = "false" },
        { name = "MB_CHECK_FOR_UPDATES", value = "false" },
        { name = "JAVA_TIMEZONE", value = "UTC" },
        { name = "JAVA_OPTS", value = "-XX:MaxRAMPercentage=75" },
      ]
      # Injected by ECS at start from Secrets Manager; never in the task definition itself.
      secrets = [
        { name = "MB_DB_USER", valueFrom = "${aws_secretsmanager_secret.metabase_app_db.arn}:username::" },
        { name = "MB_DB_PASS", valueFrom = "${aws_secretsmanager_secret.metabase_app_db.arn}:password::" },
        { name = "MB_ENCRYPTION_SECRET_KEY", valueFrom = "${aws_secretsmanager_secret.metabase_app_db.arn}:encryption_key::" },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.metabase.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "metabase"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "this" {
  name            = "metabase"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  # One Metabase at a time: a new version migrates the application database on start, and
  # two versions must not run against it together.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  # First start creates Metabase's schema, which takes minutes.
  health_check_grace_period_seconds = 600

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = module.vpc.private_subnets
    security_groups  = [module.metabase_sg.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = module.alb.target_groups["metabase"].arn
    container_name   = "metabase"
    container_port   = 3000
  }
}
