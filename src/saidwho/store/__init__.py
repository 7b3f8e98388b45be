"""saidwho.store"""
