// Alibaba Cloud RDS backup sets as typed values, a deployment gate on a fresh successful backup, and a resource that takes one when needed.
package alicloudrdsbackups
