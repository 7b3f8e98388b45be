"""saidwho.web"""
