# No variable here carries a secret: database credentials live in Secrets Manager
# (RDS-managed for the master user, values put by the operator for the Metabase roles).

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name prefix for every resource (lowercase letters, digits and hyphens)."
  type        = string
  default     = "insiders"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}$", var.name))
    error_message = "name must be 2-25 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags added to every resource through the provider's default_tags."
  type        = map(string)
  default     = {}
}

# --- network ---------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC; public, private and database subnets 8 bits longer (/24 in a /16) are carved from it."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR of /20 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (RDS needs at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway (cheaper) instead of one per AZ (survives an AZ outage). Egress is only needed for installs and the nightly run."
  type        = bool
  default     = true
}

# --- database --------------------------------------------------------------------------

variable "db_engine_version" {
  description = "PostgreSQL engine version. The project is tested on PostgreSQL 15; a bare major (\"15\") lets RDS pick the current minor."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version must be PostgreSQL 15 (\"15\" or \"15.x\"): the SQL is tested on that major."
  }
}

variable "db_instance_class" {
  description = "RDS instance class; db.t4g.medium or larger (Performance Insights is not offered on smaller classes)."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "Upper bound in GiB for RDS storage autoscaling."
  type        = number
  default     = 200
}

variable "db_multi_az" {
  description = "Run RDS as Multi-AZ (a standby in a second AZ with automatic failover). Doubles the instance cost."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups kept; this is the point-in-time-restore window."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 7 and 35."
  }
}

variable "db_rotation_schedule" {
  description = "Secrets Manager schedule for rotating the RDS-managed master password. Kept away from the 02:00 UTC nightly run; the runner restarts its scheduler daily at 01:30 UTC to pick up a rotated password."
  type        = string
  default     = "cron(0 12 ? * SUN *)"
}

# --- raw bucket ------------------------------------------------------------------------

variable "raw_bucket_name" {
  description = "Name of the S3 bucket that receives raw order-line CSVs. Null derives \"<name>-raw-<account id>\"."
  type        = string
  default     = null
}

variable "raw_prefix" {
  description = "Key prefix under which raw order-line files land; the runner's SOURCE_URI is s3://<bucket>/<raw_prefix>."
  type        = string
  default     = "orders/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.raw_prefix))
    error_message = "raw_prefix must be a non-empty key prefix ending in \"/\"."
  }
}

variable "raw_transition_ia_days" {
  description = "Days after which raw objects move to STANDARD_IA (S3 requires at least 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_transition_ia_days >= 30
    error_message = "raw_transition_ia_days must be at least 30 (an S3 rule for STANDARD_IA)."
  }
}

variable "raw_transition_glacier_days" {
  description = "Days after which raw objects move to GLACIER (Flexible Retrieval)."
  type        = number
  default     = 180

  validation {
    condition     = var.raw_transition_glacier_days > var.raw_transition_ia_days
    error_message = "raw_transition_glacier_days must be later than raw_transition_ia_days."
  }
}

variable "raw_noncurrent_expiration_days" {
  description = "Days after which overwritten or deleted raw object versions are removed for good."
  type        = number
  default     = 365

  validation {
    condition     = var.raw_noncurrent_expiration_days >= 30
    error_message = "raw_noncurrent_expiration_days must be at least 30."
  }
}

# --- runner ----------------------------------------------------------------------------

variable "runner_instance_type" {
  description = "EC2 instance type of the runner that hosts the nightly scheduler."
  type        = string
  default     = "t3.medium"
}

variable "runner_root_volume_size" {
  description = "Size in GiB of the runner's encrypted root volume."
  type        = number
  default     = 30
}

variable "runner_ami_id" {
  description = "AMI for the runner. Null uses the latest Amazon Linux 2023 x86_64 image at first apply (later AMI releases do not replace the instance)."
  type        = string
  default     = null
}

variable "runner_node_version" {
  description = "Exact Node.js 20 release installed on the runner from nodejs.org (checksum verified)."
  type        = string
  default     = "20.20.2"

  validation {
    condition     = can(regex("^20\\.[0-9]+\\.[0-9]+$", var.runner_node_version))
    error_message = "runner_node_version must be an exact Node.js 20 release such as 20.20.2."
  }
}

variable "app_repo_url" {
  description = "HTTPS URL of the project's git repository, cloned by the runner at boot without credentials."
  type        = string

  validation {
    condition     = can(regex("^https://[^'\\s]+$", var.app_repo_url))
    error_message = "app_repo_url must be an https:// URL without quotes or spaces."
  }
}

variable "app_git_ref" {
  description = "Git tag, branch or commit the runner deploys. Changing it replaces the runner; rolling back is setting the previous ref."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.app_git_ref))
    error_message = "app_git_ref must be a tag, branch or commit name (letters, digits, . _ / -)."
  }
}

variable "log_retention_days" {
  description = "Retention of the runner and Metabase CloudWatch log groups, in days."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

# --- metabase --------------------------------------------------------------------------

variable "metabase_domain" {
  description = "Fully qualified domain name Metabase is served on (must be covered by metabase_certificate_arn)."
  type        = string
}

variable "metabase_certificate_arn" {
  description = "ARN of an ACM certificate, in aws_region, for metabase_domain; the load balancer terminates HTTPS with it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.metabase_certificate_arn))
    error_message = "metabase_certificate_arn must be an ACM certificate ARN."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone to create the metabase_domain alias record in. Null leaves DNS to you (point a CNAME at the metabase_alb_dns_name output)."
  type        = string
  default     = null
}

variable "metabase_image_tag" {
  description = "Tag of the official metabase/metabase image, pinned so that upgrades (which migrate Metabase's own database) are deliberate."
  type        = string
  default     = "v0.56.9"

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+(\\.[0-9]+)?$", var.metabase_image_tag))
    error_message = "metabase_image_tag must be an exact version tag such as v0.56.9, never latest."
  }
}

variable "metabase_cpu" {
  description = "Fargate CPU units for the Metabase task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "metabase_memory" {
  description = "Fargate memory in MiB for the Metabase task (Metabase wants at least 2 GiB)."
  type        = number
  default     = 2048

  validation {
    condition     = var.metabase_memory >= 2048
    error_message = "metabase_memory must be at least 2048 MiB."
  }
}
