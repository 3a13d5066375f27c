# Public subnets hold only the Metabase load balancer (and the NAT gateway it takes to give
# private subnets egress). The runner and the Metabase tasks live in private subnets; the
# database in its own subnets, which have no route to the internet at all.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.21.0"

  name = var.name
  cidr = var.vpc_cidr
  azs  = local.azs

  public_subnets   = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 8, i)]
  private_subnets  = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 8, 10 + i)]
  database_subnets = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 8, 20 + i)]

  create_database_subnet_group       = true
  create_database_subnet_route_table = true

  # NAT: the runner installs Node and npm packages and clones the repository at boot.
  enable_nat_gateway     = true
  single_nat_gateway     = var.single_nat_gateway
  one_nat_gateway_per_az = !var.single_nat_gateway

  enable_dns_hostnames    = true
  enable_dns_support      = true
  map_public_ip_on_launch = false

  # The default security group is adopted and emptied so nothing can fall back on it.
  manage_default_security_group  = true
  default_security_group_ingress = []
  default_security_group_egress  = []

  enable_flow_log                                 = true
  create_flow_log_cloudwatch_log_group            = true
  create_flow_log_cloudwatch_iam_role             = true
  flow_log_max_aggregation_interval               = 600
  flow_log_cloudwatch_log_group_retention_in_days = var.log_retention_days
}

# Raw files are read through a gateway endpoint: free, and the bytes never cross the NAT.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = module.vpc.vpc_id
  service_name      = "com.amazonaws.${var.aws_region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = module.vpc.private_route_table_ids

  tags = {
    Name = "${var.name}-s3"
  }
}

# --- security groups -----------------------------------------------------------------
# Only the load balancer accepts traffic from the internet (80 to redirect, 443 to serve).
# Everything else admits traffic from named security groups only.

module "runner_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.2.0"

  name        = "${var.name}-runner"
  description = "Insiders runner: no ingress at all (operators use SSM Session Manager)"
  vpc_id      = module.vpc.vpc_id

  egress_with_cidr_blocks = [
    {
      rule        = "https-443-tcp"
      cidr_blocks = "0.0.0.0/0"
      description = "AWS APIs, nodejs.org, npm registry, git host"
    },
  ]
  egress_with_source_security_group_id = [
    {
      rule                     = "postgresql-tcp"
      source_security_group_id = module.db_sg.security_group_id
      description              = "Warehouse database"
    },
  ]
}

module "metabase_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.2.0"

  name        = "${var.name}-metabase"
  description = "Metabase tasks: port 3000 from the load balancer only"
  vpc_id      = module.vpc.vpc_id

  ingress_with_source_security_group_id = [
    {
      from_port                = 3000
      to_port                  = 3000
      protocol                 = "tcp"
      source_security_group_id = module.alb.security_group_id
      description              = "Metabase from the load balancer"
    },
  ]

  egress_with_cidr_blocks = [
    {
      rule        = "https-443-tcp"
      cidr_blocks = "0.0.0.0/0"
      description = "Image pull from Docker Hub, Secrets Manager, CloudWatch Logs"
    },
  ]
  egress_with_source_security_group_id = [
    {
      rule                     = "postgresql-tcp"
      source_security_group_id = module.db_sg.security_group_id
      description              = "Metabase application database and the warehouse"
    },
  ]
}

module "db_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.2.0"

  name        = "${var.name}-db"
  description = "Insiders PostgreSQL: 5432 from the runner and Metabase only"
  vpc_id      = module.vpc.vpc_id

  ingress_with_source_security_group_id = [
    {
      rule                     = "postgresql-tcp"
      source_security_group_id = module.runner_sg.security_group_id
      description              = "Nightly pipeline and migrations"
    },
    {
      rule                     = "postgresql-tcp"
      source_security_group_id = module.metabase_sg.security_group_id
      description              = "Metabase (application database and insiders_reader)"
    },
  ]
}
