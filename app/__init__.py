"""SME assistant: cited knowledge base, enterprise profiles and program matching for tech SMEs."""
