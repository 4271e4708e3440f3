"""平安建设动态评估: a monthly safety index per 居委 and grid over the factors the installed apps contribute
(core.contributions.safety_factors)."""
