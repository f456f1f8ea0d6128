// Tags that the constructs write and the assembly reader reads: one constant per fact, shared by both.

/** Marks the subnets the VPC construct creates for pod IPs (VPC CNI custom networking); the reader treats them as pod subnets. */
export const POD_SUBNET_TAG = 'eksplan.io/pod-subnet';
