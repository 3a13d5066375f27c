# Customer-managed key: who may decrypt raw order lines is decided by IAM on this key,
# not by anyone who can read the bucket.
resource "aws_kms_key" "this" {
  description             = "${var.name}: raw order-line files in S3"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-raw"
  target_key_id = aws_kms_key.this.key_id
}

module "raw_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.6.0"

  bucket        = local.raw_bucket_name
  force_destroy = false

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  # Versioning turns an overwritten or deleted raw file into a recoverable one.
  versioning = {
    enabled = true
  }

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.this.arn
      }
      bucket_key_enabled = true
    }
  }

  attach_policy                    = true
  policy                           = data.aws_iam_policy_document.raw_bucket.json
  attach_require_latest_tls_policy = true

  lifecycle_rule = [
    {
      id      = "raw-tiering"
      enabled = true
      filter = {
        prefix = var.raw_prefix
      }
      # Raw files are read once, the night they land; later only for backfills.
      transition = [
        {
          days          = var.raw_transition_ia_days
          storage_class = "STANDARD_IA"
        },
        {
          days          = var.raw_transition_glacier_days
          storage_class = "GLACIER"
        },
      ]
      noncurrent_version_expiration = {
        days = var.raw_noncurrent_expiration_days
      }
      abort_incomplete_multipart_upload_days = 7
    },
  ]
}

# TLS only: any request over plain HTTP is denied, whoever makes it.
data "aws_iam_policy_document" "raw_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      local.raw_bucket_arn,
      "${local.raw_bucket_arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
