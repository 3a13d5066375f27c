terraform {
  # 1.9 is the first release whose variable validations may refer to other variables
  # (raw_transition_glacier_days is checked against raw_transition_ia_days).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Upper-bounded: a new major provider release changes resource schemas and must be
      # adopted on purpose. The exact build is recorded in .terraform.lock.hcl by `terraform init`.
      version = "~> 5.90"
    }
  }
}
